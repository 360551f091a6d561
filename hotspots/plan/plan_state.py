"""The plan's state per review period: activity statuses and problem priorities.

Plain functions that take a connection, like :mod:`hotspots.plan.observations`; each change
is one history row with its author. What the values may be is checked by
:mod:`hotspots.plan.editing` before these are called.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hotspots.db.database import log, now
from hotspots.db.schema import ACTIVITY_STATUS, PRIORITIES


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
