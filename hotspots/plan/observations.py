"""Hotspots and their observations per review period: the SQL of one concern.

Plain functions that take a connection — a read connection (:meth:`Database.read`) or
one inside a write transaction (:meth:`Database.transaction`), whose history rows they
append with :func:`hotspots.db.database.log` — in the manner of geopandas' ``io/sql.py``.
The rules (what a review outcome writes, who may close a review) are in
:mod:`hotspots.plan.editing`; validation of a record is in :mod:`hotspots.plan.records`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry
from sqlalchemy.engine import Connection

from hotspots.base import settings
from hotspots.base.errors import ConflictError, StaleEditError
from hotspots.base.missing import is_missing
from hotspots.db.database import history_row, log, now
from hotspots.db.schema import HISTORY, HOTSPOTS, OBSERVATIONS, REVIEWS
from hotspots.plan.records import Record


#: Columns of the GeoDataFrames returned by :func:`select`, in order.
COLUMNS: tuple[str, ...] = (
    "id", "name", "name_en", "category", "problem", "plan_unit", "unit", "period", "status",
    "location_quality", "location_source", "description", "notes", "moved_from", "activities",
    "dataset", "updated_at", "updated_by",
)

#: A place already stored: ``(period, wkt) -> [(id, name)]``.
Places = dict[tuple[str, str], list[tuple[str, str]]]


# -- reads ------------------------------------------------------------------------------
def select(
    conn: Connection, *, period: str | None = None, category: str | None = None,
    units_in: Sequence[int] | None = None, ids: Sequence[str] | None = None, dataset: str | None = "real",
) -> gpd.GeoDataFrame:
    """Return hotspot observations as a GeoDataFrame in EPSG:4326 (columns :data:`COLUMNS`).

    Parameters
    ----------
    period, category, units_in, ids
        Filters; None keeps everything.
    dataset
        ``real`` (default), ``example``, or None for both.
    """
    h, o = HOTSPOTS, OBSERVATIONS
    query = sa.select(
        h.c.id, h.c.name, h.c.name_en, h.c.category, h.c.problem, h.c.plan_unit, o.c.unit,
        o.c.period, o.c.status, o.c.location_quality, o.c.location_source, h.c.description,
        o.c.notes, o.c.moved_from, h.c.activities, h.c.dataset, o.c.updated_at, o.c.updated_by, o.c.geometry_wkt,
    ).join(o, o.c.hotspot_id == h.c.id).order_by(o.c.period, h.c.problem, h.c.id)
    if period is not None:
        query = query.where(o.c.period == period)
    if category is not None:
        query = query.where(h.c.category == category)
    if units_in is not None:
        query = query.where(sa.func.coalesce(o.c.unit, h.c.plan_unit).in_(list(units_in)))
    if ids is not None:
        query = query.where(h.c.id.in_(list(ids)))
    if dataset is not None:
        query = query.where(h.c.dataset == dataset)
    frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=[*COLUMNS, "geometry_wkt"])
    return to_geodataframe(frame)


def to_geodataframe(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Turn rows with a ``geometry_wkt`` column into a GeoDataFrame in EPSG:4326."""
    wkt = frame.pop("geometry_wkt")
    geoms = [None if is_missing(w) else shapely.from_wkt(w) for w in wkt]
    frame["plan_unit"] = frame["plan_unit"].astype("Int64")
    frame["unit_computed"] = frame["unit"].astype("Int64")
    # The unit shown: computed from the polygons where the hotspot is located, else the
    # unit the plan names (the plan's word is then the only information there is).
    frame["unit"] = frame["unit_computed"].fillna(frame["plan_unit"])
    frame["unit_source"] = [
        "spatial join" if not is_missing(c) else ("plan" if not is_missing(p) else "")
        for c, p in zip(frame["unit_computed"], frame["plan_unit"], strict=True)
    ]
    # types-geopandas: a geometry list may hold None (missing), the stub says Sequence[Geometry]
    shapes = cast("list[BaseGeometry]", geoms)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, index=frame.index, crs=settings.CRS_STORE))


def unit_counts(conn: Connection, period: str, *, category: str, dataset: str = "real") -> dict[int, int]:
    """Return the number of active hotspots per unit (1-6) of one category, counted in SQL."""
    h, o = HOTSPOTS, OBSERVATIONS
    unit = sa.func.coalesce(o.c.unit, h.c.plan_unit)
    query = (sa.select(unit, sa.func.count()).join(o, o.c.hotspot_id == h.c.id)
             .where((o.c.period == period) & (o.c.status == "active") & (h.c.category == category)
                    & (h.c.dataset == dataset) & unit.is_not(None))
             .group_by(unit))
    counts = {int(u): int(n) for u, n in conn.execute(query)}
    return {u: counts.get(u, 0) for u in settings.UNIT_NUMBERS}


def ids_in_bbox(conn: Connection, period: str, bbox: tuple[float, float, float, float], *,
                dataset: str = "real") -> list[str]:
    """Return the ids of the hotspots of ``period`` whose shape meets ``bbox`` (lon/lat).

    On PostGIS the filter runs in SQL on the indexed geometry column (``ST_Intersects``);
    on SQLite the shapes are read and filtered with shapely — the same answer.
    """
    h, o = HOTSPOTS, OBSERVATIONS
    where = (o.c.period == period) & (h.c.dataset == dataset)
    if conn.dialect.name == "postgresql":
        envelope = sa.text("ST_Intersects(geom, ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326))").bindparams(
            x0=bbox[0], y0=bbox[1], x1=bbox[2], y1=bbox[3])
        return sorted(conn.execute(sa.select(h.c.id).join(o, o.c.hotspot_id == h.c.id).where(where & envelope)).scalars())
    rows = conn.execute(sa.select(h.c.id, o.c.geometry_wkt).join(o, o.c.hotspot_id == h.c.id)
                        .where(where & o.c.geometry_wkt.is_not(None))).all()
    box = shapely.box(*bbox)
    return sorted(hid for hid, wkt in rows if shapely.from_wkt(wkt).intersects(box))


def example_loaded(conn: Connection) -> bool:
    """Return whether the example series is loaded."""
    return conn.execute(sa.select(HOTSPOTS.c.id).where(HOTSPOTS.c.dataset == "example").limit(1)).first() is not None


def is_empty(conn: Connection) -> bool:
    """Return whether no hotspot is stored."""
    return conn.execute(sa.select(sa.func.count()).select_from(HOTSPOTS)).scalar_one() == 0


def history(conn: Connection, *, entity_id: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Return history rows, newest first (optionally of one hotspot, activity, user, …)."""
    query = sa.select(HISTORY).order_by(HISTORY.c.id.desc())
    if entity_id is not None:
        query = query.where(HISTORY.c.entity_id == entity_id)
    if limit is not None:
        query = query.limit(limit)
    return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in HISTORY.c])


# -- versions: what a write was made from ------------------------------------------------
#: History entities that belong to a hotspot (its text row and its observations).
_HOTSPOT_ENTITIES: tuple[str, ...] = ("hotspot", "observation")


def hotspot_version(conn: Connection, hotspot_id: str) -> int:
    """Return a hotspot's version: the id of its newest history row (0 when it has none).

    Every change of a hotspot (its text, any observation, a recomputed unit) appends a
    history row in its transaction, so the version moves on with each change.
    """
    query = sa.select(sa.func.coalesce(sa.func.max(HISTORY.c.id), 0)).where(
        (HISTORY.c.entity_id == hotspot_id) & HISTORY.c.entity.in_(_HOTSPOT_ENTITIES))
    return int(conn.execute(query).scalar_one())


def hotspot_versions(conn: Connection) -> dict[str, int]:
    """Return every hotspot's version (:func:`hotspot_version`) by id, in one query."""
    query = (sa.select(HISTORY.c.entity_id, sa.func.max(HISTORY.c.id))
             .where(HISTORY.c.entity.in_(_HOTSPOT_ENTITIES)).group_by(HISTORY.c.entity_id))
    return {str(hid): int(v) for hid, v in conn.execute(query)}


def changes_since(conn: Connection, hotspot_id: str, version: int) -> pd.DataFrame:
    """Return the history rows of a hotspot newer than ``version``, newest first."""
    query = (sa.select(HISTORY).where((HISTORY.c.entity_id == hotspot_id) & HISTORY.c.entity.in_(_HOTSPOT_ENTITIES)
                                      & (HISTORY.c.id > version)).order_by(HISTORY.c.id.desc()))
    return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in HISTORY.c])


def check_version(conn: Connection, hotspot_id: str, version: int | None) -> None:
    """Refuse a write made from an older version of the hotspot (inside the write's transaction).

    Parameters
    ----------
    version
        The version the edit was made from (:func:`hotspot_version` when it was read);
        None skips the check (a caller acting on the stored state at once, in the same
        transaction).

    Raises
    ------
    StaleEditError
        If someone changed the hotspot since: naming both versions, who changed it, when,
        and what the newest change holds.
    """
    if version is None:
        return
    stored = hotspot_version(conn, hotspot_id)
    if stored == int(version):
        return
    newest = changes_since(conn, hotspot_id, int(version))
    row = newest.iloc[0] if not newest.empty else None
    raise StaleEditError(
        "err_stale_edit", id=hotspot_id, yours=int(version), stored=stored,
        by="" if row is None else str(row["author"]), at="" if row is None else str(row["at"]),
        change="" if row is None else change_summary(row["after"]),
    )


def change_summary(after: object, *, limit: int = 300) -> str:
    """Return the stored values of a history row's ``after`` in one short line.

    Examples
    --------
    >>> change_summary('{"status": "resolved", "notes": "closed by the police", "unit": 3}')
    'status: resolved; notes: closed by the police'
    """
    import json

    try:
        values = json.loads(str(after)) if not is_missing(after) else {}
    except ValueError:
        values = {}
    if not isinstance(values, dict):
        return ""
    shown = ("name", "status", "notes", "location_quality", "location_source", "description")
    text = "; ".join(f"{k}: {values[k]}" for k in shown if values.get(k) not in (None, ""))
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- writes (inside the caller's transaction) --------------------------------------------
def write(
    conn: Connection, records: Sequence[Record], units: Sequence[int | None], *, author: str,
    action: str = "add", dataset: str = "real", reject_duplicates: bool = True,
) -> list[dict[str, str]]:
    """Write validated records; return per record ``id`` and ``result``.

    A record without ``hotspot_id`` creates a hotspot (``H-<problem>-<n>``); one whose id
    exists adds or updates that hotspot's observation for the record's period; an unknown
    id creates a hotspot with that id. ``result`` is ``added``, ``observed``, ``updated``
    or ``unchanged``.

    Raises
    ------
    ConflictError
        A review of one of the periods is closed, a record would change a stored hotspot's
        category or name, or a new hotspot duplicates one at the same place and period.
    """
    for period in sorted({r.period for r in records}):
        check_open(conn, period, dataset)
    known = known_hotspots(conn, [r.hotspot_id for r in records if r.hotspot_id])
    check_same_identity(records, known)
    numbers = id_numbers(conn)
    stored = places(conn, {r.period for r in records}) if reject_duplicates else None
    batch = NewHotspots()
    results = []
    for record, unit in zip(records, units, strict=True):
        if stored is not None:
            check_duplicate(stored, record)
        if record.hotspot_id is not None and record.hotspot_id in known:
            batch.insert(conn)  # a hotspot added earlier in this write must be there first
            results.append({"id": record.hotspot_id,
                            "result": upsert(conn, record, unit, author=author, action=action)})
            continue
        if record.hotspot_id is None:
            numbers[record.problem] = numbers.get(record.problem, 0) + 1
            record = record.with_id(f"H-{record.problem}-{numbers[record.problem]:02d}")
        hid = str(record.hotspot_id)
        known[hid] = (record.category, record.name)
        if stored is not None and record.geometry is not None:
            stored.setdefault((record.period, record.geometry.wkt), []).append((hid, record.name))
        batch.add(record, unit, author=author, action=action, dataset=dataset)
        results.append({"id": hid, "result": "added"})
    batch.insert(conn)
    return results


def upsert(
    conn: Connection, record: Record, unit: int | None, *, author: str, action: str, moved_from: str | None = None,
) -> str:
    """Add or update a stored hotspot's observation of ``record.period``, with its history row.

    Returns
    -------
    str
        ``observed`` (new observation), ``updated`` or ``unchanged`` (no history row then).
    """
    values = observation_values(record, unit, moved_from=moved_from)
    where = (OBSERVATIONS.c.hotspot_id == record.hotspot_id) & (OBSERVATIONS.c.period == record.period)
    old = conn.execute(sa.select(*[OBSERVATIONS.c[k] for k in values]).where(where)).mappings().first()
    stamp = {"updated_at": now(), "updated_by": author}
    hid = str(record.hotspot_id)
    if old is None:
        conn.execute(OBSERVATIONS.insert().values(hotspot_id=hid, period=record.period, **values, **stamp))
        log(conn, author=author, action=action, entity="observation", entity_id=hid, period=record.period, after=values)
        return "observed"
    if dict(old) == values:
        return "unchanged"
    conn.execute(OBSERVATIONS.update().where(where).values(**values, **stamp))
    log(conn, author=author, action="update", entity="observation", entity_id=hid, period=record.period,
        before=dict(old), after=values)
    return "updated"


def observation_values(record: Record, unit: int | None, *, moved_from: str | None = None) -> dict[str, Any]:
    """Return the stored columns of a record's observation (geometry as WKT in EPSG:4326)."""
    return {
        "geometry_wkt": None if record.geometry is None else record.geometry.wkt,
        "status": record.status, "unit": unit, "location_quality": record.location_quality,
        "location_source": record.location_source, "notes": record.notes, "moved_from": moved_from,
    }


def update_text(conn: Connection, hotspot_id: str, values: dict[str, str], *, author: str) -> bool:
    """Set a hotspot's text columns (already validated); return False if it does not exist."""
    old = conn.execute(sa.select(*[HOTSPOTS.c[k] for k in values]).where(HOTSPOTS.c.id == hotspot_id)).mappings().first()
    if old is None:
        return False
    conn.execute(HOTSPOTS.update().where(HOTSPOTS.c.id == hotspot_id).values(**values))
    log(conn, author=author, action="edit", entity="hotspot", entity_id=hotspot_id, before=dict(old), after=values)
    return True


def set_units(conn: Connection, changes: Iterable[tuple[str, str, int | None, int | None]], *, author: str) -> int:
    """Store recomputed units: ``(hotspot id, period, old unit, new unit)`` each; return how many."""
    n = 0
    for hid, period, old, new in changes:
        conn.execute(OBSERVATIONS.update().where(
            (OBSERVATIONS.c.hotspot_id == hid) & (OBSERVATIONS.c.period == period)).values(unit=new))
        log(conn, author=author, action="units", entity="observation", entity_id=hid, period=period,
            before={"unit": old}, after={"unit": new})
        n += 1
    return n


def delete_dataset(conn: Connection, dataset: str, *, author: str) -> int:
    """Delete a whole dataset (the example series), recorded in the history; return hotspots removed."""
    ids = list(conn.execute(sa.select(HOTSPOTS.c.id).where(HOTSPOTS.c.dataset == dataset)).scalars())
    if not ids:
        return 0
    conn.execute(OBSERVATIONS.delete().where(OBSERVATIONS.c.hotspot_id.in_(ids)))
    conn.execute(HOTSPOTS.delete().where(HOTSPOTS.c.id.in_(ids)))
    conn.execute(REVIEWS.delete().where(REVIEWS.c.dataset == dataset))
    log(conn, author=author, action="demo unload", entity="dataset", entity_id=dataset, before={"hotspots": len(ids)})
    return len(ids)


# -- the review of a period --------------------------------------------------------------
def review_row(conn: Connection, period: str, dataset: str) -> dict[str, Any] | None:
    """Return the stored state of the review of ``period`` (None: never closed or reopened)."""
    row = conn.execute(sa.select(REVIEWS).where(
        (REVIEWS.c.period == period) & (REVIEWS.c.dataset == dataset))).mappings().first()
    return None if row is None else dict(row)


def check_open(conn: Connection, period: str, dataset: str) -> None:
    """Raise :class:`ConflictError` if the review of ``period`` is closed (it then refuses writes)."""
    row = review_row(conn, period, dataset)
    if row is not None and row["state"] == "closed":
        raise ConflictError("err_review_closed", period=period)


def set_review(conn: Connection, period: str, dataset: str, values: dict[str, Any], *, author: str, action: str) -> None:
    """Store the review's state (``closed``/``open``, reason, counts), with its history row."""
    where = (REVIEWS.c.period == period) & (REVIEWS.c.dataset == dataset)
    old = review_row(conn, period, dataset)
    stamp = {"updated_at": now(), "updated_by": author}
    if old is None:
        conn.execute(REVIEWS.insert().values(period=period, dataset=dataset, **{"reviewed": 0, "due": 0, **values}, **stamp))
    else:
        conn.execute(REVIEWS.update().where(where).values(**values, **stamp))
    log(conn, author=author, action=action, entity="review", entity_id=f"{dataset}:{period}", period=period,
        before=None if old is None else {k: old[k] for k in values}, after=values)


# -- helpers of write() ------------------------------------------------------------------
def known_hotspots(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Return ``id -> (category, name)`` of the stored hotspots among ``ids`` (chunked queries)."""
    unique = sorted(set(ids))
    known: dict[str, tuple[str, str]] = {}
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        rows = conn.execute(sa.select(HOTSPOTS.c.id, HOTSPOTS.c.category, HOTSPOTS.c.name).where(HOTSPOTS.c.id.in_(chunk)))
        known.update({str(r.id): (str(r.category), str(r.name)) for r in rows})
    return known


def id_numbers(conn: Connection) -> dict[str, int]:
    """Return the highest number of the ``H-<problem>-<n>`` ids per problem, in one query."""
    numbers: dict[str, int] = {}
    for hid in conn.execute(sa.select(HOTSPOTS.c.id).where(HOTSPOTS.c.id.like("H-%"))).scalars():
        problem, _, number = str(hid)[2:].rpartition("-")
        if number.isascii() and number.isdigit() and len(number) < 10:
            numbers[problem] = max(numbers.get(problem, 0), int(number))
    return numbers


def places(conn: Connection, periods: set[str]) -> Places:
    """Return ``(period, wkt) -> [(id, name)]`` of the stored located observations of ``periods``."""
    rows = conn.execute(
        sa.select(OBSERVATIONS.c.period, OBSERVATIONS.c.geometry_wkt, HOTSPOTS.c.id, HOTSPOTS.c.name)
        .join(HOTSPOTS, OBSERVATIONS.c.hotspot_id == HOTSPOTS.c.id)
        .where(OBSERVATIONS.c.period.in_(sorted(periods))).where(OBSERVATIONS.c.geometry_wkt.is_not(None))
    )
    found: Places = {}
    for r in rows:
        found.setdefault((str(r.period), str(r.geometry_wkt)), []).append((str(r.id), str(r.name)))
    return found


def check_duplicate(stored: Places, record: Record) -> None:
    """Refuse a new hotspot with the name of another one at the very same place and period."""
    if record.geometry is None:
        return
    for hid, name in stored.get((record.period, record.geometry.wkt), []):
        if hid != record.hotspot_id and name.strip().casefold() == record.name.casefold():
            raise ConflictError("err_duplicate", id=hid, period=record.period)


def check_same_identity(records: Sequence[Record], known: dict[str, tuple[str, str]]) -> None:
    """Refuse records that would silently change a stored hotspot's category or name.

    Parameters
    ----------
    known
        ``id -> (category, name)`` of the stored hotspots.

    Raises
    ------
    ConflictError
        Naming the id, what is stored and what the record says.
    """
    for record in records:
        if record.hotspot_id is None or record.hotspot_id not in known:
            continue
        category, name = known[record.hotspot_id]
        if record.category != category:
            raise ConflictError("err_import_category", id=record.hotspot_id, stored=category, given=record.category)
        if record.name != name:
            raise ConflictError("err_import_name", id=record.hotspot_id, stored=name[:80], given=record.name[:80])


class NewHotspots:
    """New hotspots of one write, inserted together (three multi-row inserts, not three per record)."""

    def __init__(self) -> None:
        self.hotspots: list[dict[str, Any]] = []
        self.observations: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []

    def add(self, record: Record, unit: int | None, *, author: str, action: str, dataset: str) -> None:
        """Queue a new hotspot, its first observation and its one history row."""
        stamp = now()
        row = {
            "id": record.hotspot_id, "category": record.category, "problem": record.problem,
            "name": record.name, "name_en": record.name_en, "description": record.description,
            "plan_unit": record.plan_unit, "activities": ",".join(record.activities),
            "dataset": dataset, "created_at": stamp, "created_by": author,
        }
        observation = observation_values(record, unit)
        self.history.append(history_row(author=author, action=action, entity="hotspot",
                                        entity_id=str(record.hotspot_id), period=record.period,
                                        after={**row, "observation": observation}, at=stamp))
        self.hotspots.append(row)
        self.observations.append({"hotspot_id": record.hotspot_id, "period": record.period, **observation,
                                  "updated_at": stamp, "updated_by": author})

    def insert(self, conn: Connection) -> None:
        """Insert everything queued, inside the caller's transaction, and empty the queue."""
        for table, rows in ((HOTSPOTS, self.hotspots), (OBSERVATIONS, self.observations), (HISTORY, self.history)):
            if rows:
                conn.execute(table.insert(), rows)
                rows.clear()
