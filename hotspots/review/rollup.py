"""The prefecture's (qark's) roll-up: the counts its councils published when they closed a review.

Each council publishes, when it closes the review of a period, its active hotspots per unit and
category (:func:`hotspots.plan.editing.close_review`; withdrawn when the review is reopened).
The roll-up only reads those published counts: no hotspot, place, name or incident of any
municipality. In a PostGIS database shared by several municipalities they live in ``public``,
so a prefecture's read-only role needs ``SELECT`` on that one table only.
"""

from __future__ import annotations

import pandas as pd

from hotspots.plan import plan_state
from hotspots.plan.store import Store

#: The columns of the roll-up, in order.
COLUMNS: tuple[str, ...] = ("qark", "municipality", "period", "category", "unit", "unit_name", "active", "published_at")


def qark_rollup(store: Store, qark: str | None = None) -> pd.DataFrame:
    """Return the counts the councils of ``qark`` (None: of every qark) published, one row per unit."""
    with store.read() as conn:
        rows = plan_state.published_rows(conn, qark)
    return rows[list(COLUMNS)].reset_index(drop=True)


def qark_totals(rollup: pd.DataFrame) -> pd.DataFrame:
    """Return the roll-up summed over units: active hotspots per municipality, period and category.

    Examples
    --------
    >>> rows = pd.DataFrame({"qark": ["Q"] * 3, "municipality": ["a", "a", "b"], "period": ["2025-H1"] * 3,
    ...                      "category": ["crime"] * 3, "active": [2, 1, 4]})
    >>> qark_totals(rows).to_dict("records")[0]
    {'qark': 'Q', 'municipality': 'a', 'period': '2025-H1', 'category': 'crime', 'active': 3}
    """
    keys = ["qark", "municipality", "period", "category"]
    return rollup.groupby(keys, as_index=False).agg(active=("active", "sum"))
