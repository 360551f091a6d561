"""The plan's other places in the database: cameras, cannabis-risk zones, schools.

Three tables on the shared :data:`hotspots.db.schema.META`, created by the migration
``0006_places``. Geometries are WKT in EPSG:4326, as for hotspots. Every write is one
transaction of :meth:`hotspots.plan.store.Store.transaction` with a history row and its author;
nothing is deleted: a camera, zone or school is *retired* (kept, with who and why).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hotspots.base import settings
from hotspots.base.errors import ConflictError, ImportFileError, NotFoundError, ValidationError
from hotspots.db import database
from hotspots.db.database import now
from hotspots.db.schema import CAMERAS, CANNABIS_ZONES, SCHOOLS
from hotspots.plan.exchange import _read_bytes, parse_geojson
from hotspots.plan.store import Store


#: The tables of this module by the entity name used in the history.
TABLES: dict[str, sa.Table] = {"camera": CAMERAS, "cannabis_zone": CANNABIS_ZONES, "school": SCHOOLS}
#: Values of columns a new row may leave out.
DEFAULTS: dict[str, Any] = {"notes": "", "source": "", "name": "", "activities": ""}
#: Id prefix per entity (``C-01``, ``Z-01``, ``S-01``).
PREFIX: dict[str, str] = {"camera": "C-", "cannabis_zone": "Z-", "school": "S-"}


def _table(entity: str) -> sa.Table:
    if entity not in TABLES:
        raise ValidationError("err_choice", field="entity", value=entity, allowed=", ".join(TABLES))
    return TABLES[entity]


def next_id(conn: Connection, entity: str) -> str:
    """Return the next free id of ``entity`` (``C-03`` after ``C-02``)."""
    table, prefix = _table(entity), PREFIX[entity]
    ids = conn.execute(sa.select(table.c.id).where(table.c.id.like(prefix + "%"))).scalars()
    numbers = [int(i[len(prefix):]) for i in ids if i[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def _row_out(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("updated_at", "updated_by")}


def upsert(store: Store, entity: str, rows: list[dict[str, Any]], *, author: str, action: str) -> list[dict[str, str]]:
    """Insert or update validated rows of ``entity`` in ONE transaction (all or nothing).

    A row without ``id`` (or with an unknown one) is added; a row whose id exists updates
    it (a retired one may not be updated). Each change writes a history row.

    Returns
    -------
    list of dict
        Per row: ``id`` and ``result`` (``added``, ``updated`` or ``unchanged``).

    Raises
    ------
    ValidationError
        If ``author`` is empty.
    ConflictError
        If a row updates a retired entry.
    """
    if not author or not str(author).strip():
        raise ValidationError("err_author_missing")
    table = _table(entity)
    out = []
    with store.transaction() as conn:
        for row in rows:
            out.append(_upsert_one(conn, entity, table, dict(row), author=author, action=action))
    return out


def _upsert_one(conn: Connection, entity: str, table: sa.Table, row: dict[str, Any], *, author: str,
                action: str) -> dict[str, str]:
    stamp = {"updated_at": now(), "updated_by": author}
    given = row.pop("id", None) or None
    old = None if given is None else conn.execute(sa.select(table).where(table.c.id == given)).mappings().first()
    rid: str = str(given) if given else next_id(conn, entity)
    if old is None:
        missing = {k: v for k, v in DEFAULTS.items() if k in table.c and k not in row}
        conn.execute(table.insert().values(id=rid, **missing, **row, **stamp))
        database.log(conn, author=author, action=action, entity=entity, entity_id=rid, after={"id": rid, **missing, **row})
        return {"id": rid, "result": "added"}
    if old["retired_at"] is not None:
        raise ConflictError("err_place_retired", id=rid)
    before = {k: old[k] for k in row}
    if before == row:
        return {"id": rid, "result": "unchanged"}
    conn.execute(table.update().where(table.c.id == rid).values(**row, **stamp))
    changed = {k: v for k, v in row.items() if before[k] != v}
    database.log(conn, author=author, action=action, entity=entity, entity_id=rid,
              before={k: before[k] for k in changed}, after=changed)
    return {"id": rid, "result": "updated"}


def retire(store: Store, entity: str, entry_id: str, *, author: str, reason: str) -> None:
    """Retire an entry (kept in the table and the history, no longer shown or counted).

    Raises
    ------
    ValidationError
        If no reason is given.
    NotFoundError
        If the id is unknown.
    ConflictError
        If it is already retired.
    """
    if not reason or not reason.strip():
        raise ValidationError("err_reason_missing")
    table = _table(entity)
    with store.transaction() as conn:
        old = conn.execute(sa.select(table).where(table.c.id == entry_id)).mappings().first()
        if old is None:
            raise NotFoundError("err_place_unknown", id=entry_id)
        if old["retired_at"] is not None:
            raise ConflictError("err_place_retired", id=entry_id)
        stamp = now()
        conn.execute(table.update().where(table.c.id == entry_id).values(
            retired_at=stamp, retired_reason=reason.strip(), updated_at=stamp, updated_by=author))
        database.log(conn, author=author, action="retire", entity=entity, entity_id=entry_id,
                  before=_row_out(dict(old)), after={"retired_reason": reason.strip()})


def read(store: Store, entity: str, *, include_retired: bool = False) -> gpd.GeoDataFrame:
    """Return the entries of ``entity`` as a GeoDataFrame in EPSG:4326 (ordered by id)."""
    table = _table(entity)
    query = sa.select(table).order_by(table.c.id)
    if not include_retired:
        query = query.where(table.c.retired_at.is_(None))
    with store.read() as conn:  # the store's read engine, as hotspots.accounts.auth uses it
        frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in table.c])
    wkt = frame.pop("geometry_wkt")
    geoms = [shapely.from_wkt(w) for w in wkt]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=settings.CRS_STORE))


def count(store: Store, entity: str) -> int:
    """Return the number of rows of ``entity`` (retired ones included)."""
    table = _table(entity)
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def source_bytes(source: Path | bytes) -> bytes:
    """Return the bytes of a file to import: read from a path, or given (an upload), within the size limit.

    Raises
    ------
    ImportFileError
        If the path is missing or the file is larger than :data:`hotspots.base.settings.IMPORT_MAX_BYTES`.
    """
    if not isinstance(source, bytes):
        return _read_bytes(Path(source))
    if len(source) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError("err_file_too_big", size=len(source), limit=settings.IMPORT_MAX_BYTES)
    return source


def read_features(source: Path | bytes) -> list[dict[str, Any]]:
    """Return the features of a GeoJSON FeatureCollection (a path, or its bytes); never empty.

    Raises
    ------
    ImportFileError
        If the file cannot be read, is not a FeatureCollection, or holds no feature.
    """
    features = parse_geojson(source_bytes(source))
    if not features:
        raise ImportFileError("err_file_empty")
    return features


def results_text(results: list[dict[str, str]]) -> str:
    """Return the results of :func:`upsert` as one line (``C-01 added, C-02 unchanged``).

    Examples
    --------
    >>> results_text([{"id": "C-01", "result": "added"}, {"id": "C-02", "result": "unchanged"}])
    'C-01 added, C-02 unchanged'
    """
    return ", ".join(f"{r['id']} {r['result']}" for r in results)
