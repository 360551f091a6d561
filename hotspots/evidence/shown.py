"""What council and the public see of the evidence: the one place that routes counts to disclosure.

Every count of :mod:`hotspots.evidence` shown to a role without incident points goes through
:func:`counts` (so through :func:`hotspots.incidents.disclosure.suppressed`), and a share or
ratio resting on a total of 1 to 4 incidents is withheld by :func:`ratio`, since the share
would give the count away.
"""

from __future__ import annotations

import pandas as pd

from hotspots.base import settings
from hotspots.incidents import disclosure
from hotspots.incidents.disclosure import suppressed


def sees_points(role: str | None) -> bool:
    """Return whether ``role`` sees raw counts (analysts, staff, admin).

    Examples
    --------
    >>> sees_points("analyst"), sees_points("council"), sees_points(None)
    (True, False, False)
    """
    return disclosure.sees_points(role)


def counts(values: pd.Series, role: str | None) -> pd.Series:
    """Return the counts ``values`` as ``role`` may see them (``"<5"`` for 1 to 4 without points).

    Examples
    --------
    >>> list(counts(pd.Series([0, 3, 7]), "council")), list(counts(pd.Series([0, 3, 7]), "analyst"))
    (['0', '<5', '7'], [0, 3, 7])
    """
    if sees_points(role):
        return values
    return suppressed(values.fillna(0)).where(values.notna(), None)


def ratio(value: float | None, total: int, role: str | None) -> float | None:
    """Return a share or ratio resting on ``total`` incidents, or None where it would reveal a count of 1 to 4.

    Examples
    --------
    >>> ratio(0.5, 4, "council"), ratio(0.5, 4, "analyst"), ratio(0.5, 12, "public")
    (None, 0.5, 0.5)
    """
    if sees_points(role) or value is None:
        return value
    return value if total == 0 or total >= settings.INCIDENT_SUPPRESS_BELOW else None


def ratios(table: pd.DataFrame, columns: list[str], total: str, role: str | None) -> pd.DataFrame:
    """Return ``table`` with the share ``columns`` withheld (None) on rows whose ``total`` is 1 to 4 (see :func:`ratio`)."""
    if sees_points(role) or table.empty:
        return table
    small = (table[total] > 0) & (table[total] < settings.INCIDENT_SUPPRESS_BELOW)
    return table.assign(**{c: table[c].astype(object).where(~small, None) for c in columns})


def shares_of(table: pd.DataFrame, columns: list[str], total: str, role: str | None, *,
              held: float | None = None) -> pd.DataFrame:
    """Return ``table`` with each share in ``columns`` withheld where share × ``total`` is a count of 1 to 4.

    ``held``: the share of ``total`` the figures rest on when they are not themselves shares of
    it (the area holding half of the incidents rests on half of them: 0.5).

    Examples
    --------
    >>> frame = pd.DataFrame({"n": [10, 10, 100], "s": [0.3, 0.5, 0.03]})
    >>> shares_of(frame, ["s"], "n", "council")["s"].tolist()
    [None, 0.5, None]
    """
    if sees_points(role) or table.empty:
        return table
    out = table.copy()
    for c in columns:
        share = pd.to_numeric(out[c], errors="coerce") if held is None else pd.Series(held, index=out.index)
        count = (share * out[total].astype(float)).round()
        small = (count > 0) & (count < settings.INCIDENT_SUPPRESS_BELOW)
        out[c] = out[c].astype(object).where(~small, None)
    return out
