"""The session of one reader: its language and texts, the store it reads, session-state keys, messages kept across a rerun."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import streamlit as st

from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.base.i18n import languages, t, tn
from hotspots.base.labels import label
from hotspots.base.plain import markdown_text
from hotspots.db import database
from hotspots.places.service import ensure_seed
from hotspots.plan.store import Store


# Session-state keys, declared once.
K_LANG = "lang"


K_USER = "auth_user"


K_ROLE = "auth_role"


K_TOKEN = "auth_token"


K_COOKIE = "auth_cookie"


K_MUST_CHANGE = "auth_must_change"


K_EXPIRED = "auth_expired"


K_NOTICE = "auth_notice"


K_PERIOD = "f_period"


K_CATEGORY = "f_category"


K_UNITS = "f_units"


K_PRIORITY = "f_priority"


K_LAYERS = "f_layers"


def lang() -> str:
    """Return the language of this session (``sq`` by default, ``?lang=en`` honoured)."""
    if K_LANG not in st.session_state:
        wanted = st.query_params.get("lang", settings.default_language())
        st.session_state[K_LANG] = wanted if wanted in languages() else "sq"
    return str(st.session_state[K_LANG])


def tr(key: str, **params: Any) -> str:
    """Return the text ``key`` in this session's language."""
    return t(key, lang(), **params)


def trm(key: str, **params: Any) -> str:
    """Return :func:`tr` for an element that renders Markdown: every text parameter shown as typed."""
    return tr(key, **{k: markdown_text(v) if isinstance(v, str) else v for k, v in params.items()})


def message(exc: HotspotError) -> str:
    """Return an error's message in this session's language, its text parameters shown as typed (Markdown escaped)."""
    return exc.message(lang(), escape=markdown_text)


def upload_mb(limit_bytes: int) -> int:
    """Return an import's size limit in whole MiB, for ``st.file_uploader(max_upload_size=…)`` (refused in the browser)."""
    return max(1, -(-limit_bytes // (1024 * 1024)))


def code_label(labels: Mapping[str, str], code: object, **params: Any) -> str:
    """Return the label of a stored code (a category, a role …) in this session's language (:mod:`hotspots.base.labels`)."""
    return label(labels, code, lang(), **params)


def trn(key: str, n: int, **params: Any) -> str:
    """Return the text ``key`` for the number ``n`` (singular or plural) in this session's language."""
    return tn(key, n, lang(), **params)


@st.cache_resource
def get_store(url: str) -> Store:
    """Return the store for ``url``, created (and the baseline loaded) if needed."""
    store = Store(url)
    store.check_readable()  # a damaged or newer store is a message, never half read
    store.init(author="system")

    ensure_seed(store)
    return store


def store() -> Store:
    """Return the store of this app (``HOTSPOTS_DB`` or the default file)."""
    return get_store(settings.database_url())


@contextmanager
def fault_guard() -> Iterator[None]:
    """Turn a database fault or an unexpected library error into a translated message.

    Streamlit's own control flow (``st.stop``, ``st.rerun``) passes through untouched.
    """
    try:
        yield
    except HotspotError as exc:
        st.error(message(exc))
    except database.FAULTS as exc:  # a full disk is said so, not "cannot be read"

        st.error(message(database.fault(exc)))


#: Page styles: Streamlit's English input hints ("Press Enter to apply") are hidden (the app's
#: own labels and buttons say what to do); printing hides the sidebar, header and controls.
PAGE_CSS = """<style>
[data-testid="InputInstructions"] { display: none; }
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  .stDownloadButton, [data-testid="stTextInput"], .stButton { display: none !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { margin: 0 !important; padding: 0 !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0.5rem !important; }
  iframe { break-inside: avoid; }
}
</style>"""


K_FLASH = "flash_messages"


def flash(message: str) -> None:
    """Keep a success message for the next run (a page reruns after a save to show fresh data)."""
    st.session_state.setdefault(K_FLASH, []).append(message)


def show_flash() -> None:
    """Show, once, the messages kept by :func:`flash`."""
    for message in st.session_state.pop(K_FLASH, []):
        st.success(message, icon=":material/check_circle:")


def clear_keys(*keys: str) -> None:
    """Forget widget values (call before the widgets are drawn: a form after a save)."""
    for key in keys:
        st.session_state.pop(key, None)


def page_style() -> None:
    """Add the page styles: no English input hints; a print stylesheet (the sidebar is hidden when printing)."""
    st.html(PAGE_CSS)
