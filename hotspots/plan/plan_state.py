"""The plan's state per review period: activity statuses, problem priorities, the plan's versions and changes.

Plain functions that take a connection, like :mod:`hotspots.plan.observations`; each change
is one history row with its author. What the values may be is checked by
:mod:`hotspots.plan.editing` before these are called.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hotspots.db.database import log, now
from hotspots.db.schema import ACTIVITY_STATUS, PLAN_CHANGES, PLAN_VERSIONS, PRIORITIES, PUBLISHED_COUNTS, REVIEWS


def set_activity_status(conn: Connection, activity_id: str, period: str, *, status: str, note: str, author: str) -> bool:
    """Store an activity's status in a period; return whether anything changed."""
    return _set_keyed(conn, ACTIVITY_STATUS, {"activity_id": activity_id, "period": period},
                      {"status": status, "note": note}, author=author, entity="activity")


def set_priority(conn: Connection, problem_id: str, period: str, *, priority: str, author: str) -> bool:
    """Store a problem's priority in a period; return whether anything changed."""
    return _set_keyed(conn, PRIORITIES, {"problem_id": problem_id, "period": period},
                      {"priority": priority}, author=author, entity="priority")


def activity_status(conn: Connection, period: str | None = None) -> pd.DataFrame:
    """Return the stored activity statuses (``activity_id``, ``period``, ``status``, ``note``, stamps)."""
    query = sa.select(ACTIVITY_STATUS)
    if period is not None:
        query = query.where(ACTIVITY_STATUS.c.period == period)
    return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in ACTIVITY_STATUS.c])


def priorities(conn: Connection) -> pd.DataFrame:
    """Return the stored per-period priorities (``problem_id``, ``period``, ``priority``, stamps)."""
    return pd.DataFrame(conn.execute(sa.select(PRIORITIES)).mappings().all(), columns=[c.name for c in PRIORITIES.c])


def _set_keyed(conn: Connection, table: sa.Table, key: dict[str, str], values: dict[str, str], *, author: str,
               entity: str) -> bool:
    where = sa.and_(*[table.c[k] == v for k, v in key.items()])
    old = conn.execute(sa.select(*[table.c[k] for k in values]).where(where)).mappings().first()
    if old is not None and dict(old) == values:
        return False
    stamp = {"updated_at": now(), "updated_by": author}
    if old is None:
        conn.execute(table.insert().values(**key, **values, **stamp))
    else:
        conn.execute(table.update().where(where).values(**values, **stamp))
    log(conn, author=author, action="set", entity=entity, entity_id=next(iter(key.values())),
        period=key["period"], before=None if old is None else dict(old), after=values)
    return True


# -- plan versions and their changes (:mod:`hotspots.plan.versions` decides; these read and write) --
def ensure_first_version(conn: Connection, values: dict[str, Any]) -> bool:
    """Store version 1 (``values``) if no version is stored yet, with its history row; return whether it was."""
    if conn.execute(sa.select(sa.func.count()).select_from(PLAN_VERSIONS)).scalar_one():
        return False
    conn.execute(PLAN_VERSIONS.insert().values(**values))
    log(conn, author=values["created_by"], action="plan adopt", entity="plan", entity_id="v1",
        period=values["first_period"], after={"adopted_on": values["adopted_on"], "meeting": values["meeting"]})
    return True


def version_rows(conn: Connection) -> list[dict[str, Any]]:
    """Return the stored versions without their documents, in order."""
    columns = [c for c in PLAN_VERSIONS.c if c.name != "document"]
    return [dict(r) for r in conn.execute(sa.select(*columns).order_by(PLAN_VERSIONS.c.number)).mappings()]


def version_document(conn: Connection, number: int) -> str | None:
    """Return the document (JSON text) of version ``number``, or None when it is not stored."""
    text = conn.execute(sa.select(PLAN_VERSIONS.c.document).where(PLAN_VERSIONS.c.number == number)).scalar()
    return None if text is None else str(text)


def insert_version(conn: Connection, values: dict[str, Any]) -> None:
    """Store a version (``number``, ``adopted_on``, ``meeting``, periods, ``based_on``, ``document``, stamps)."""
    conn.execute(PLAN_VERSIONS.insert().values(**values))


def end_version(conn: Connection, number: int, last_period: str) -> None:
    """Set the last period of version ``number`` (a new plan takes over after it)."""
    conn.execute(PLAN_VERSIONS.update().where(PLAN_VERSIONS.c.number == number).values(last_period=last_period))


def change_rows(conn: Connection, version: int | None = None) -> list[dict[str, Any]]:
    """Return the changes (of ``version``, else of all), oldest first."""
    query = sa.select(PLAN_CHANGES).order_by(PLAN_CHANGES.c.id)
    if version is not None:
        query = query.where(PLAN_CHANGES.c.version == version)
    return [dict(r) for r in conn.execute(query).mappings()]


def insert_change(conn: Connection, values: dict[str, Any]) -> int:
    """Store a change; return its id."""
    inserted = conn.execute(PLAN_CHANGES.insert().values(**values)).inserted_primary_key
    return int(inserted[0]) if inserted is not None else -1


def review_plan_row(conn: Connection, period: str, dataset: str) -> dict[str, Any] | None:
    """Return the review of ``period``'s state and the plan it was closed under (None: no review row)."""
    row = conn.execute(sa.select(REVIEWS.c.state, REVIEWS.c.plan_version, REVIEWS.c.plan_change).where(
        (REVIEWS.c.period == period) & (REVIEWS.c.dataset == dataset))).mappings().first()
    return None if row is None else dict(row)


def closed_in_any_dataset(conn: Connection, period: str) -> bool:
    """Return whether a review of ``period`` is closed (real data or the example series)."""
    return conn.execute(sa.select(REVIEWS.c.period).where(
        (REVIEWS.c.period == period) & (REVIEWS.c.state == "closed"))).first() is not None


def known_activity_ids(conn: Connection) -> set[str]:
    """Return every activity the stored plan versions and their changes name (e.g. ``1.7.6``, added by a meeting)."""
    found: set[str] = set()
    for text in conn.execute(sa.select(PLAN_VERSIONS.c.document)).scalars():
        for problem in json.loads(text)["problems"]:
            found |= {f"{problem['id']}.{a['number']}" for a in problem["activities"] if "number" in a}
    for target, payload in conn.execute(sa.select(PLAN_CHANGES.c.target, PLAN_CHANGES.c.payload).where(
            PLAN_CHANGES.c.action == "add_activity")).all():
        number = json.loads(payload).get("number")
        if number is not None:
            found.add(f"{target}.{number}")
    return found


def publish_counts(conn: Connection, rows: list[dict[str, Any]], *, municipality: str, period: str,
                   author: str) -> None:
    """Publish the counts of a closed review (they replace what this municipality published for ``period``)."""
    where = (PUBLISHED_COUNTS.c.municipality == municipality) & (PUBLISHED_COUNTS.c.period == period)
    conn.execute(PUBLISHED_COUNTS.delete().where(where))
    if rows:
        conn.execute(PUBLISHED_COUNTS.insert(), rows)
    log(conn, author=author, action="publish", entity="published_counts", entity_id=f"{municipality}:{period}",
        period=period, after={"rows": len(rows), "active": sum(int(r["active"]) for r in rows)})


def withdraw_counts(conn: Connection, *, municipality: str, period: str, author: str) -> int:
    """Withdraw the counts published for ``period`` (its review was reopened); return how many rows; logged."""
    where = (PUBLISHED_COUNTS.c.municipality == municipality) & (PUBLISHED_COUNTS.c.period == period)
    before = [dict(r) for r in conn.execute(sa.select(PUBLISHED_COUNTS.c.category, PUBLISHED_COUNTS.c.unit,
                                                      PUBLISHED_COUNTS.c.active).where(where)).mappings()]
    conn.execute(PUBLISHED_COUNTS.delete().where(where))
    if before:
        log(conn, author=author, action="withdraw", entity="published_counts", entity_id=f"{municipality}:{period}",
            period=period, before=before)
    return len(before)


def published_rows(conn: Connection, qark: str | None = None) -> pd.DataFrame:
    """Return the published counts (of the municipalities of ``qark``, or all), in order."""
    query = sa.select(PUBLISHED_COUNTS).order_by(PUBLISHED_COUNTS.c.municipality, PUBLISHED_COUNTS.c.period,
                                                 PUBLISHED_COUNTS.c.category, PUBLISHED_COUNTS.c.unit)
    if qark is not None:
        query = query.where(PUBLISHED_COUNTS.c.qark == qark)
    return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in PUBLISHED_COUNTS.c])
