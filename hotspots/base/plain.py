"""Stored text shown as text in the elements Streamlit renders as Markdown.

``st.table`` cells, ``st.markdown``, captions, alerts, expander and radio labels render
Markdown: a hotspot named ``[x](http://evil)`` or ``![i](data:…)`` would become a link or
an image. Tables of stored text are therefore ``st.dataframe`` (text as text); every
stored or typed string put into a Markdown element goes through :func:`markdown_text`.
``st.text`` and ``st.dataframe`` show text as it is and need nothing.
"""

from __future__ import annotations

import re


#: An invisible word joiner: it breaks the bare URLs and e-mail addresses GitHub-flavoured
#: Markdown turns into links even when escaped (``http://…``, ``www.…``, ``a@b.al``).
_JOINER = "\u2060"
#: ASCII punctuation Markdown, GitHub tables, Streamlit's directives (``:red[…]``,
#: ``:material/…:``), emoji shortcodes and math (``$…$``) give a meaning to.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=&^%\"'])")


def markdown_text(text: object) -> str:
    r"""Return ``text`` with every Markdown character escaped, so it renders as typed.

    Line breaks become spaces (a label is one line); a word joiner (invisible) is put
    into ``://``, after ``www`` and after ``@``, so no bare URL becomes a link.

    Examples
    --------
    >>> markdown_text("[x](evil) **b**")
    '\\[x\\]\\(evil\\) \\*\\*b\\*\\*'
    """
    flat = " ".join(str(text).splitlines())
    escaped = _SPECIAL.sub(r"\\\1", flat)
    return re.sub(r"(\\:)(?=\\/|/)|(?i:(www))(?=\\\.)|(@)", lambda m: m.group(0) + _JOINER, escaped)
