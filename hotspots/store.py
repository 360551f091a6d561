"""The database: schema, transactions with history, reads as GeoDataFrames.

SQLite (through SQLAlchemy) is the embedded default; geometries are stored as WKT in
EPSG:4326, so a server database can sit behind the same :class:`Store` later. Every
write is one transaction that also appends to the ``history`` table, with its author;
a failure rolls the whole write back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from hotspots import model, settings, units
from hotspots.errors import ConflictError, NotFoundError, ValidationError
from hotspots.missing import int_or_none, is_missing
from hotspots.records import Record

META = sa.MetaData()

HOTSPOTS = sa.Table(
    "hotspots", META,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("problem", sa.String(8), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_en", sa.Text, nullable=False, default=""),
    sa.Column("description", sa.Text, nullable=False, default=""),
    sa.Column("plan_unit", sa.Integer, nullable=True),
    sa.Column("activities", sa.Text, nullable=False, default=""),
    sa.Column("dataset", sa.String(10), nullable=False, default="real"),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
)

OBSERVATIONS = sa.Table(
    "observations", META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("hotspot_id", sa.String(40), sa.ForeignKey("hotspots.id"), nullable=False),
    sa.Column("period", sa.String(7), nullable=False),
    sa.Column("geometry_wkt", sa.Text, nullable=True),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("unit", sa.Integer, nullable=True),
    sa.Column("location_quality", sa.String(12), nullable=False),
    sa.Column("location_source", sa.Text, nullable=False, default=""),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("moved_from", sa.String(7), nullable=True),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
    sa.UniqueConstraint("hotspot_id", "period", name="one_observation_per_period"),
)

ACTIVITY_STATUS = sa.Table(
    "activity_status", META,
    sa.Column("activity_id", sa.String(12), primary_key=True),
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

PRIORITIES = sa.Table(
    "problem_priority", META,
    sa.Column("problem_id", sa.String(8), primary_key=True),
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("priority", sa.String(10), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

HISTORY = sa.Table(
    "history", META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("author", sa.String(80), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("entity", sa.String(20), nullable=False),
    sa.Column("entity_id", sa.String(60), nullable=False),
    sa.Column("period", sa.String(7), nullable=True),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=True),
)

USERS = sa.Table(
    "users", META,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("password_hash", sa.String(100), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)

META_KV = sa.Table(
    "meta", META,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

#: Columns of the GeoDataFrames returned by :meth:`Store.hotspots`, in order.
COLUMNS: tuple[str, ...] = (
    "id", "name", "name_en", "category", "problem", "plan_unit", "unit", "period", "status",
    "location_quality", "location_source", "description", "notes", "moved_from", "activities",
    "dataset", "updated_at", "updated_by",
)


def now() -> str:
    """Return the current UTC time as ISO 8601 text (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 60})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 60000")
        cur.execute("PRAGMA foreign_keys = ON")
        if immediate:
            cur.execute("PRAGMA journal_mode = WAL")  # persistent; readers never block writers
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Store:
    """The hotspot database.

    Parameters
    ----------
    url
        A SQLAlchemy URL or a file path; default :func:`hotspots.settings.database_url`.

    Examples
    --------
    >>> store = Store("/tmp/doc-example.sqlite"); _ = store.init()
    >>> len(store.hotspots(period="2022-H1"))
    14
    """

    def __init__(self, url: str | Path | None = None) -> None:
        self.url = settings.database_url(url)
        if self.url.startswith("sqlite"):
            self._write = _sqlite_engine(self.url, immediate=True)
            self._read = _sqlite_engine(self.url, immediate=False)
        else:  # a server database: its own transactions are already serialisable enough
            self._write = self._read = sa.create_engine(self.url)

    # -- schema -------------------------------------------------------------------------
    def create_schema(self) -> None:
        """Create the tables that do not exist yet (idempotent)."""
        META.create_all(self._write)

    def is_empty(self) -> bool:
        """Return whether the store holds no hotspot."""
        with self._read.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(HOTSPOTS)).scalar_one() == 0

    def init(self, *, baseline: Path | None = None, author: str = "system") -> int:
        """Create the schema and load the plan's baseline if the store is empty.

        Returns
        -------
        int
            The number of hotspots loaded (0 when the store already held data).
        """
        self.create_schema()
        if not self.is_empty():
            return 0
        from hotspots.exchange import read_features

        records = read_features(Path(baseline or settings.BASELINE_FILE))
        self.write_records(records, author=author, action="baseline")
        return len(records)

    def dispose(self) -> None:
        """Close every pooled connection (SQLite then folds its WAL into the file)."""
        self._write.dispose()
        self._read.dispose()

    # -- transactions -------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Yield a connection inside one write transaction: all or nothing."""
        with self._write.begin() as conn:
            yield conn

    @staticmethod
    def log(
        conn: Connection, *, author: str, action: str, entity: str, entity_id: str,
        period: str | None = None, before: Any = None, after: Any = None,
    ) -> None:
        """Append a history row inside the caller's transaction."""
        if not author or not str(author).strip():
            raise ValidationError("err_author_missing")
        conn.execute(HISTORY.insert().values(
            at=now(), author=author, action=action, entity=entity, entity_id=entity_id,
            period=period,
            before=None if before is None else json.dumps(before, ensure_ascii=False, default=str),
            after=None if after is None else json.dumps(after, ensure_ascii=False, default=str),
        ))

    # -- writes -------------------------------------------------------------------------
    def write_records(
        self, records: Sequence[Record], *, author: str, action: str = "add",
        dataset: str = "real", reject_duplicates: bool = True,
    ) -> list[dict[str, str]]:
        """Write validated records in one transaction.

        A record without ``hotspot_id`` creates a hotspot; one whose id exists adds (or
        updates) that hotspot's observation for the record's period; an unknown id
        creates a hotspot with that id.

        Returns
        -------
        list of dict
            Per record: ``id`` and ``result`` (``added``, ``observed``, ``updated`` or
            ``unchanged``).

        Raises
        ------
        ConflictError
            If a new hotspot duplicates one at the same place in the same period.
        """
        unit_of = self._units_for(records)
        results = []
        with self.transaction() as conn:
            for i, record in enumerate(records):
                results.append(
                    self._write_one(conn, record, unit_of[i], author=author, action=action,
                                    dataset=dataset, reject_duplicates=reject_duplicates)
                )
        return results

    @staticmethod
    def _units_for(records: Sequence[Record]) -> list[int | None]:
        if not records:
            return []
        gdf = gpd.GeoDataFrame(geometry=[r.geometry for r in records], crs=settings.CRS_STORE)
        return [int_or_none(v) for v in units.assign_units(gdf)]

    def _write_one(
        self, conn: Connection, record: Record, unit: int | None, *, author: str, action: str,
        dataset: str, reject_duplicates: bool,
    ) -> dict[str, str]:
        exists = record.hotspot_id is not None and conn.execute(
            sa.select(HOTSPOTS.c.id).where(HOTSPOTS.c.id == record.hotspot_id)
        ).first() is not None
        if reject_duplicates:
            self._check_duplicate(conn, record)
        if not exists:
            hid = record.hotspot_id or self._next_id(conn, record.problem)
            row = {
                "id": hid, "category": record.category, "problem": record.problem,
                "name": record.name, "name_en": record.name_en, "description": record.description,
                "plan_unit": record.plan_unit, "activities": ",".join(record.activities),
                "dataset": dataset, "created_at": now(), "created_by": author,
            }
            conn.execute(HOTSPOTS.insert().values(**row))
            record = record.with_id(hid)
            observation = self._upsert_observation(conn, record, unit, author=author, action=action, log=False)
            # one history row for a new hotspot: the hotspot and its first observation
            self.log(conn, author=author, action=action, entity="hotspot", entity_id=hid,
                     period=record.period, after={**row, "observation": observation})
            return {"id": hid, "result": "added"}
        result = self._upsert_observation(conn, record, unit, author=author, action=action)
        return {"id": str(record.hotspot_id), "result": result}

    @staticmethod
    def _next_id(conn: Connection, problem: str) -> str:
        prefix = f"H-{problem}-"
        ids = conn.execute(sa.select(HOTSPOTS.c.id).where(HOTSPOTS.c.id.like(prefix + "%"))).scalars()
        numbers = [int(i[len(prefix):]) for i in ids if i[len(prefix):].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1:02d}"

    @staticmethod
    def _check_duplicate(conn: Connection, record: Record) -> None:
        if record.geometry is None:
            return
        rows = conn.execute(
            sa.select(HOTSPOTS.c.id, HOTSPOTS.c.name)
            .join(OBSERVATIONS, OBSERVATIONS.c.hotspot_id == HOTSPOTS.c.id)
            .where(OBSERVATIONS.c.period == record.period)
            .where(OBSERVATIONS.c.geometry_wkt == record.geometry.wkt)
        ).all()
        for hid, name in rows:
            if hid != record.hotspot_id and name.strip().casefold() == record.name.casefold():
                raise ConflictError("err_duplicate", id=hid, period=record.period)

    def _upsert_observation(
        self, conn: Connection, record: Record, unit: int | None, *, author: str, action: str,
        moved_from: str | None = None, log: bool = True,
    ) -> Any:
        values = {
            "geometry_wkt": None if record.geometry is None else record.geometry.wkt,
            "status": record.status, "unit": unit, "location_quality": record.location_quality,
            "location_source": record.location_source, "notes": record.notes,
            "moved_from": moved_from,
        }
        where = (OBSERVATIONS.c.hotspot_id == record.hotspot_id) & (OBSERVATIONS.c.period == record.period)
        old = conn.execute(sa.select(*[OBSERVATIONS.c[k] for k in values]).where(where)).mappings().first()
        stamp = {"updated_at": now(), "updated_by": author}
        if old is None:
            conn.execute(OBSERVATIONS.insert().values(hotspot_id=record.hotspot_id, period=record.period, **values, **stamp))
            if not log:
                return values
            self.log(conn, author=author, action=action, entity="observation",
                     entity_id=str(record.hotspot_id), period=record.period, after=values)
            return "observed"
        if dict(old) == values:
            return "unchanged"
        conn.execute(OBSERVATIONS.update().where(where).values(**values, **stamp))
        self.log(conn, author=author, action="update", entity="observation",
                 entity_id=str(record.hotspot_id), period=record.period, before=dict(old), after=values)
        return "updated"

    def example_loaded(self) -> bool:
        """Return whether the example series is loaded."""
        with self._read.connect() as conn:
            return conn.execute(sa.select(HOTSPOTS.c.id).where(HOTSPOTS.c.dataset == "example").limit(1)).first() is not None

    def load_example(self, *, author: str, path: Path | None = None) -> int:
        """Load the example series (training data, kept apart as dataset ``example``).

        Raises
        ------
        ConflictError
            If it is already loaded.
        """
        from hotspots.exchange import read_features

        if self.example_loaded():
            raise ConflictError("err_demo_loaded")
        records = read_features(Path(path or settings.EXAMPLE_SERIES_FILE))
        self.write_records(records, author=author, action="demo load", dataset="example", reject_duplicates=False)
        return len(records)

    def unload_example(self, *, author: str) -> int:
        """Remove the example series (and only it); the removal is recorded in the history."""
        with self.transaction() as conn:
            ids = list(conn.execute(sa.select(HOTSPOTS.c.id).where(HOTSPOTS.c.dataset == "example")).scalars())
            if not ids:
                return 0
            conn.execute(OBSERVATIONS.delete().where(OBSERVATIONS.c.hotspot_id.in_(ids)))
            conn.execute(HOTSPOTS.delete().where(HOTSPOTS.c.id.in_(ids)))
            self.log(conn, author=author, action="demo unload", entity="dataset", entity_id="example",
                     before={"hotspots": len(ids)})
        return len(ids)

    def update_hotspot_text(self, hotspot_id: str, *, author: str, **fields: str) -> None:
        """Edit a hotspot's name, English name or description (history kept)."""
        allowed = {"name": model.check_name, "name_en": model.check_note, "description": model.check_note}
        unknown = set(fields) - set(allowed)
        if unknown:
            raise ValidationError("err_choice", field=",".join(sorted(unknown)), value="", allowed=", ".join(allowed))
        values = {k: allowed[k](v) for k, v in fields.items()}
        with self.transaction() as conn:
            old = conn.execute(sa.select(*[HOTSPOTS.c[k] for k in values]).where(HOTSPOTS.c.id == hotspot_id)).mappings().first()
            if old is None:
                raise NotFoundError("err_hotspot_unknown", id=hotspot_id)
            conn.execute(HOTSPOTS.update().where(HOTSPOTS.c.id == hotspot_id).values(**values))
            self.log(conn, author=author, action="edit", entity="hotspot", entity_id=hotspot_id,
                     before=dict(old), after=values)

    def record_review(
        self, hotspot_id: str, period: str, *, outcome: str, author: str,
        geometry: shapely.Geometry | None = None, location_quality: str | None = None,
        notes: str = "", location_source: str = "",
    ) -> str:
        """Record a hotspot at a review: ``persists``, ``moved``, ``resolved`` or ``removed``.

        The observation is copied from the hotspot's latest earlier period (the place for
        ``moved`` is ``geometry``, its grade ``location_quality`` or else the grade it had,
        its source ``location_source`` or else "moved at review P"); the hotspot keeps its
        identity. Returns the write result.
        """
        model.check_period(period)
        latest = self.latest_observation(hotspot_id, before=period)
        if latest is None:
            raise NotFoundError("err_no_earlier_period", id=hotspot_id, period=period)
        geom = latest["geometry"]
        quality = latest["location_quality"]
        source = latest["location_source"]
        status = {"persists": "active", "moved": "active", "resolved": "resolved", "removed": "removed"}.get(outcome)
        if status is None:
            raise ValidationError("err_choice", field="outcome", value=outcome, allowed="persists, moved, resolved, removed")
        moved_from = None
        if outcome == "moved":
            quality = location_quality or (quality if quality != "unlocated" else "approximate")
            geom = model.check_geometry(geometry, quality)
            if geom is None:
                raise ValidationError("err_geometry_missing", quality=quality)
            units.check_inside_municipality(geom)
            geom = model.canonical(geom)
            source = location_source or f"moved at review {period}"
            moved_from = str(latest["period"])
        record = Record(
            name=str(latest["name"]), category=str(latest["category"]), problem=str(latest["problem"]),
            period=period, status=status, location_quality=str(quality), geometry=geom,
            location_source=str(source), notes=model.check_note(notes), hotspot_id=hotspot_id,
        )
        unit = self._units_for([record])[0]
        with self.transaction() as conn:
            return self._upsert_observation(conn, record, unit, author=author, action=f"review:{outcome}", moved_from=moved_from)

    def place_hotspot(
        self, hotspot_id: str, period: str, geometry: shapely.Geometry, *, location_quality: str,
        location_source: str, author: str,
    ) -> str:
        """Give an unlocated hotspot a place in ``period`` (history kept)."""
        obs = self.hotspots(period=period, ids=[hotspot_id])
        if obs.empty:
            raise NotFoundError("err_hotspot_unknown", id=hotspot_id)
        row = obs.iloc[0]
        geom = model.check_geometry(geometry, location_quality)
        if geom is None:
            raise ValidationError("err_geometry_missing", quality=location_quality)
        units.check_inside_municipality(geom)
        record = Record(
            name=str(row["name"]), category=str(row["category"]), problem=str(row["problem"]),
            period=period, status=str(row["status"]), location_quality=location_quality,
            geometry=model.canonical(geom), location_source=model.check_note(location_source),
            notes=str(row["notes"]), hotspot_id=hotspot_id,
        )
        unit = self._units_for([record])[0]
        with self.transaction() as conn:
            return self._upsert_observation(conn, record, unit, author=author, action="place")

    def recompute_units(self, *, author: str) -> int:
        """Recompute every observation's unit (after the unit layer changed); returns changes."""
        gdf = self.hotspots(dataset=None)
        computed = units.assign_units(gdf)
        changed = 0
        with self.transaction() as conn:
            for (_, row), unit in zip(gdf.iterrows(), computed):
                new, old = int_or_none(unit), int_or_none(row["unit"])
                if new != old:
                    conn.execute(OBSERVATIONS.update().where(
                        (OBSERVATIONS.c.hotspot_id == row["id"]) & (OBSERVATIONS.c.period == row["period"])
                    ).values(unit=new))
                    self.log(conn, author=author, action="units", entity="observation", entity_id=row["id"],
                             period=row["period"], before={"unit": old}, after={"unit": new})
                    changed += 1
        return changed

    def set_activity_status(self, activity_id: str, period: str, status: str, *, author: str, note: str = "") -> None:
        """Set an activity's status in a period (history kept)."""
        from hotspots.plan import load_plan

        load_plan().activity(activity_id)
        model.check_period(period)
        model.check_choice(status, model.ActivityStatus, "status")
        self._set_keyed(ACTIVITY_STATUS, {"activity_id": activity_id, "period": period},
                        {"status": status, "note": model.check_note(note)}, author=author, entity="activity")

    def set_priority(self, problem_id: str, period: str, priority: str, *, author: str) -> None:
        """Set a problem's priority in a period (history kept)."""
        from hotspots.plan import load_plan

        load_plan().problem(problem_id)
        model.check_period(period)
        model.check_choice(priority, model.Priority, "priority")
        self._set_keyed(PRIORITIES, {"problem_id": problem_id, "period": period},
                        {"priority": priority}, author=author, entity="priority")

    def _set_keyed(self, table: sa.Table, key: dict[str, str], values: dict[str, str], *, author: str, entity: str) -> None:
        where = sa.and_(*[table.c[k] == v for k, v in key.items()])
        stamp = {"updated_at": now(), "updated_by": author}
        with self.transaction() as conn:
            old = conn.execute(sa.select(*[table.c[k] for k in values]).where(where)).mappings().first()
            if old is None:
                conn.execute(table.insert().values(**key, **values, **stamp))
            elif dict(old) != values:
                conn.execute(table.update().where(where).values(**values, **stamp))
            else:
                return
            entity_id = next(iter(key.values()))
            self.log(conn, author=author, action="set", entity=entity, entity_id=entity_id,
                     period=key["period"], before=None if old is None else dict(old), after=values)

    # -- reads --------------------------------------------------------------------------
    def hotspots(
        self, *, period: str | None = None, category: str | None = None,
        units_in: Sequence[int] | None = None, ids: Sequence[str] | None = None,
        dataset: str | None = "real",
    ) -> gpd.GeoDataFrame:
        """Return hotspot observations as a GeoDataFrame in EPSG:4326.

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
        with self._read.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=[*COLUMNS, "geometry_wkt"])
        return to_geodataframe(frame)

    def latest_observation(self, hotspot_id: str, *, before: str) -> pd.Series | None:
        """Return a hotspot's observation in the latest period before ``before``, or None."""
        frame = self.hotspots(ids=[hotspot_id], dataset=None)
        frame = frame[frame["period"] < before]
        return None if frame.empty else frame.iloc[-1]

    def history(self, *, entity_id: str | None = None, limit: int | None = None) -> pd.DataFrame:
        """Return history rows, newest first (optionally of one hotspot/activity)."""
        query = sa.select(HISTORY).order_by(HISTORY.c.id.desc())
        if entity_id is not None:
            query = query.where(HISTORY.c.entity_id == entity_id)
        if limit is not None:
            query = query.limit(limit)
        with self._read.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in HISTORY.c])

    def activity_status(self, period: str | None = None) -> pd.DataFrame:
        """Return the stored activity statuses (``activity_id``, ``period``, ``status``, ``note``)."""
        query = sa.select(ACTIVITY_STATUS)
        if period is not None:
            query = query.where(ACTIVITY_STATUS.c.period == period)
        with self._read.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in ACTIVITY_STATUS.c])

    def priorities(self) -> pd.DataFrame:
        """Return the stored per-period priorities (``problem_id``, ``period``, ``priority``)."""
        with self._read.connect() as conn:
            return pd.DataFrame(conn.execute(sa.select(PRIORITIES)).mappings().all(), columns=[c.name for c in PRIORITIES.c])

    def version(self) -> int:
        """Return a number that changes whenever anything is written (for cache keys)."""
        with self._read.connect() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(HISTORY.c.id), 0))).scalar_one())

    def count(self, table: str) -> int:
        """Return the number of rows of a table (``hotspots``, ``history``, …)."""
        with self._read.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(META.tables[table])).scalar_one())


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
        for c, p in zip(frame["unit_computed"], frame["plan_unit"])
    ]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=settings.CRS_STORE))
