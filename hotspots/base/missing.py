"""One place to ask "is this value missing?" for anything read from a frame or a form.

Nullable columns (``Int64`` units, text read back from SQLite or a CSV) give ``None``,
``NaN``, ``pd.NA`` or ``NaT``. Hand-written checks such as ``x != x`` raise on ``pd.NA``
(``TypeError: boolean value of NA is ambiguous``); these helpers never do.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def is_missing(value: Any) -> bool:
    """Return whether a scalar ``value`` is missing (None, NaN, ``pd.NA``, ``NaT``).

    Containers (lists, arrays, geometries) are never missing: only scalars are tested.

    Examples
    --------
    >>> is_missing(pd.NA), is_missing(float("nan")), is_missing(None), is_missing(0)
    (True, True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, (str, bytes)) or not pd.api.types.is_scalar(value):
        return False
    return bool(pd.isna(value))


def int_or_none(value: Any) -> int | None:
    """Return ``value`` as an int, or None when it is missing.

    Examples
    --------
    >>> int_or_none(pd.NA) is None, int_or_none(3.0)
    (True, 3)
    """
    return None if is_missing(value) else int(value)


def text_or_empty(value: Any) -> str:
    """Return ``value`` as text, or ``""`` when it is missing (never the text "None" or "nan").

    Examples
    --------
    >>> text_or_empty(None), text_or_empty(float("nan")), text_or_empty("a")
    ('', '', 'a')
    """
    return "" if is_missing(value) else str(value)
