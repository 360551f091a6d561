"""A closed review publishes its counts for the qark's roll-up; reopening it withdraws them, both in the history."""

from __future__ import annotations

import sqlalchemy as sa

from hotspots.db.schema import HISTORY
from hotspots.plan import editing
from hotspots.plan.store import Store
from hotspots.review import rollup


def test_closing_publishes_the_counts_per_unit_and_reopening_withdraws_them(backend_store: Store) -> None:
    store = backend_store
    assert rollup.qark_rollup(store).empty
    editing.close_review(store, "2022-H1", author="ana", reason="mbyllur për provë")
    rows = rollup.qark_rollup(store, "Elbasan")
    assert set(rows["municipality"]) == {"elbasan"} and len(rows) == 12  # 6 units × 2 categories, zeros too
    for category in ("crime", "street_children"):
        published = dict(zip(rows[rows["category"] == category]["unit"], rows[rows["category"] == category]["active"],
                             strict=True))
        assert published == store.unit_counts("2022-H1", category=category)
    assert rows.loc[rows["unit"] == 3, "unit_name"].iloc[0] == "Lagjja nr. 3"
    assert set(rollup.COLUMNS) == set(rows.columns)  # counts only: no hotspot, place, name or note
    totals = rollup.qark_totals(rows)
    assert totals["active"].sum() == rows["active"].sum() and len(totals) == 2
    assert rollup.qark_rollup(store, "Tiranë").empty

    editing.reopen_review(store, "2022-H1", author="ana", reason="një hotspot u rishikua")
    assert rollup.qark_rollup(store).empty
    with store.read() as conn:
        actions = list(conn.execute(sa.select(HISTORY.c.action).where(HISTORY.c.entity == "published_counts")
                                    .order_by(HISTORY.c.id)).scalars())
    assert actions == ["publish", "withdraw"]


def test_the_example_series_publishes_nothing(backend_store: Store) -> None:
    editing.load_example(backend_store, author="t")
    editing.close_review(backend_store, "2022-H1", author="ana", reason="prova", dataset="example")
    assert rollup.qark_rollup(backend_store).empty
