"""The ``incidents`` table (on the shared :data:`hotspots.db.schema.META`) and its reads and writes.

Points are stored as ``lon``/``lat`` in EPSG:4326 with a composite index (a bounding-box
prefilter for both SQLite and PostGIS); the date has its own index. ``row_key`` makes an
import idempotent: the case reference when the file has one, else a hash of the row.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hotspots.base import settings
from hotspots.db import database
from hotspots.db.database import now
from hotspots.db.schema import INCIDENTS
from hotspots.plan.store import Store


#: Columns every incident frame carries, in order (``reference``/``address`` are internal).
COLUMNS: tuple[str, ...] = (
    "id", "dataset", "reference", "occurred_on", "occurred_at", "offence", "problem", "lon", "lat", "unit",
    "location_quality", "location_source", "address", "source", "batch",
)
#: SQLite page cache (KiB) of the connection that writes an import: its index pages stay in memory.
SQLITE_IMPORT_CACHE_KIB: int = 131_072
#: Columns that never leave the analysts' side.
INTERNAL: tuple[str, ...] = ("reference", "address", "row_key", "batch", "source")



def existing_keys(store: Store, dataset: str) -> set[str]:
    """Return the row keys already stored for ``dataset``."""
    store.ensure_schema()
    with store.read() as conn:
        return set(conn.execute(sa.select(INCIDENTS.c.row_key).where(INCIDENTS.c.dataset == dataset)).scalars())


def write(store: Store, rows: pd.DataFrame, *, author: str, dataset: str, source: str, batch: str,
          report: dict[str, Any]) -> int:
    """Insert the rows whose key is new, in one transaction with one history row; return how many.

    Rows are re-checked against the stored keys inside the transaction, so two imports of
    the same file at once still add each incident once.
    """
    store.ensure_schema()
    stamp = {"dataset": dataset, "source": source, "batch": batch, "imported_at": now(), "imported_by": author}
    with store.transaction() as conn:
        stored = set(conn.execute(sa.select(INCIDENTS.c.row_key).where(INCIDENTS.c.dataset == dataset)).scalars())
        new = _plain(rows[~rows["row_key"].isin(stored)]).assign(**stamp)
        _bulk_insert(conn, new)
        database.log(conn, author=author, action="incidents import", entity="incidents", entity_id=batch,
                  after={**report, "added": len(new), "already_stored": len(rows) - len(new),
                         "dataset": dataset, "source": source})
    return len(new)


def _bulk_insert(conn: Connection, frame: pd.DataFrame) -> None:
    """Insert ``frame``: PostgreSQL's ``COPY``, else one driver-level executemany (compiled once)."""
    if frame.empty:
        return
    if conn.dialect.name == "postgresql":  # COPY: ~5x faster than executemany on 100,000 rows
        names = ", ".join(frame.columns)
        # SQLAlchemy types driver_connection as Optional (None only once the pool has detached it)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {INCIDENTS.name} ({names}) FROM STDIN") as copy:
            for row in frame.itertuples(index=False, name=None):
                copy.write_row(row)
        return
    if conn.dialect.name == "sqlite":  # this connection's page cache: the indexes of 100,000 new rows fit (not the 2 MB default)
        conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    compiled = INCIDENTS.insert().compile(dialect=conn.dialect, column_keys=list(frame.columns))
    if compiled.positional:
        columns = [frame[k].tolist() for k in compiled.positiontup or []]
        params: list[Any] = list(zip(*columns, strict=True))
    else:
        params = frame.to_dict("records")
    conn.exec_driver_sql(str(compiled), params)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    cols = ["row_key", "reference", "occurred_on", "occurred_at", "offence", "problem", "lon", "lat", "unit",
            "location_quality", "location_source", "address"]
    out = frame[cols].astype(object)
    return out.where(pd.notna(out), None)


def read(store: Store, *, dataset: str | None = "real", start: str | None = None, end: str | None = None,
         offences: list[str] | None = None) -> gpd.GeoDataFrame:
    """Return incidents as a GeoDataFrame of points in EPSG:4326 (unplaced: empty geometry).

    Parameters
    ----------
    dataset
        ``real``, ``example`` or None for both.
    start, end
        ISO dates, inclusive; None leaves that side open.
    offences
        Offence classes to keep; None keeps all.
    """
    store.ensure_schema()
    q = sa.select(*[INCIDENTS.c[c] for c in COLUMNS]).order_by(INCIDENTS.c.occurred_on, INCIDENTS.c.id)
    if dataset is not None:
        q = q.where(INCIDENTS.c.dataset == dataset)
    if start:
        q = q.where(INCIDENTS.c.occurred_on >= start)
    if end:
        q = q.where(INCIDENTS.c.occurred_on <= end)
    if offences is not None:
        q = q.where(INCIDENTS.c.offence.in_(offences))
    with store.read() as conn:
        rows = conn.execute(q).all()
    if rows:  # column-wise: half the time of building from row tuples
        frame = pd.DataFrame(dict(zip(COLUMNS, zip(*rows, strict=True), strict=True)))
    else:
        frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return to_points(frame)


def to_points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` (with ``lon``/``lat``) as points in EPSG:4326, vectorised."""
    lon = pd.to_numeric(frame["lon"], errors="coerce").astype(float)
    lat = pd.to_numeric(frame["lat"], errors="coerce").astype(float)
    frame = frame.assign(lon=lon, lat=lat, unit=pd.to_numeric(frame["unit"], errors="coerce").astype("Int64"))
    geom = gpd.GeoSeries(gpd.points_from_xy(lon, lat), index=frame.index, crs=settings.CRS_STORE)
    geom[lon.isna() | lat.isna()] = None
    return gpd.GeoDataFrame(frame, geometry=geom, crs=settings.CRS_STORE)


def count(store: Store, dataset: str | None = None) -> int:
    """Return the number of stored incidents (of ``dataset``, or all)."""
    store.ensure_schema()
    q = sa.select(sa.func.count()).select_from(INCIDENTS)
    if dataset is not None:
        q = q.where(INCIDENTS.c.dataset == dataset)
    with store.read() as conn:
        return int(conn.execute(q).scalar_one())


def remove_dataset(store: Store, dataset: str, *, author: str) -> int:
    """Remove every incident of ``dataset`` (the example), recorded in the history; return how many."""
    store.ensure_schema()
    with store.transaction() as conn:
        query = sa.select(sa.func.count()).select_from(INCIDENTS).where(INCIDENTS.c.dataset == dataset)
        n = int(conn.execute(query).scalar_one())
        if n:
            conn.execute(INCIDENTS.delete().where(INCIDENTS.c.dataset == dataset))
            database.log(conn, author=author, action="incidents remove", entity="incidents", entity_id=dataset,
                      before={"incidents": n})
    return n
