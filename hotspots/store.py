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
from hotspots.errors import ConflictError, NotFoundError, StoreBusyError, StoreFaultError, ValidationError
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

REVIEWS = sa.Table(
    "reviews", META,
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("dataset", sa.String(10), primary_key=True),
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("reviewed", sa.Integer, nullable=False),
    sa.Column("due", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

USERS = sa.Table(
    "users", META,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("password_hash", sa.String(100), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    # issue 10: bumped by a removal, a role change, a password change or a logout; a
    # session is valid only while it carries the account's current version
    sa.Column("cred_version", sa.Integer, nullable=False, default=1, server_default="1"),
    # issue 9: a one-time password (first admin, an admin's reset) must be changed first
    sa.Column("must_change", sa.Boolean, nullable=False, default=False, server_default="0"),
)

#: Login sessions (issue 9/10): the cookie holds a signed random token, the store its hash.
SESSIONS = sa.Table(
    "sessions", META,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(80), nullable=False, index=True),
    sa.Column("cred_version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_seen", sa.Float, nullable=False),
)

#: Failed-login counters per account and per client (issue 10): a reload does not reset them.
LOGIN_THROTTLE = sa.Table(
    "login_throttle", META,
    sa.Column("key", sa.String(120), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_at", sa.Float, nullable=False),
    sa.Column("locked_until", sa.Float, nullable=False),
)

#: Key of the PostgreSQL advisory lock that serialises the app's writes.
WRITE_LOCK_KEY: int = 7_151_100

#: The observation status each review outcome records.
OUTCOME_STATUS: dict[str, str] = {
    "persists": "active", "moved": "active", "refined": "active", "resolved": "resolved", "removed": "removed",
}

#: Columns of the GeoDataFrames returned by :meth:`Store.hotspots`, in order.
COLUMNS: tuple[str, ...] = (
    "id", "name", "name_en", "category", "problem", "plan_unit", "unit", "period", "status",
    "location_quality", "location_source", "description", "notes", "moved_from", "activities",
    "dataset", "updated_at", "updated_by",
)


def now() -> str:
    """Return the current UTC time as ISO 8601 text (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _sqlite_engine(url: str, *, immediate: bool, busy_seconds: float) -> Engine:
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": busy_seconds})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
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

    def __init__(self, url: str | Path | None = None, *, busy_seconds: float = settings.DB_BUSY_SECONDS,
                 must_exist: bool = False) -> None:
        self.url = settings.database_url(url)
        path = self.url.removeprefix("sqlite:///")
        if must_exist and self.url.startswith("sqlite:///") and path != ":memory:" and not Path(path).is_file():
            raise StoreFaultError("err_db_missing", path=path)
        if self.url.startswith("sqlite"):
            self._write = _sqlite_engine(self.url, immediate=True, busy_seconds=busy_seconds)
            self._read = _sqlite_engine(self.url, immediate=False, busy_seconds=busy_seconds)
            if must_exist:
                self.check_readable()
        else:  # a server database (PostGIS): writes serialised by an advisory lock, see transaction()
            self._write = self._read = sa.create_engine(self.url, pool_pre_ping=True)

    # -- schema -------------------------------------------------------------------------
    def create_schema(self) -> tuple[str | None, str]:
        """Bring the schema to the newest migration (idempotent); return (revision before, after)."""
        from hotspots import db

        return db.upgrade(self._write, probe=self._read)

    def ensure_schema(self) -> None:
        """Bring the schema to the newest revision if it is not there yet (a read when it is)."""
        from hotspots import db

        if not getattr(self, "_schema_ready", False):
            if db.current(self._read) != db.head():
                self.create_schema()
            self._schema_ready = True

    def check_readable(self) -> None:
        """Raise :class:`StoreFaultError` unless the store is sound and not from a newer app.

        On SQLite runs ``quick_check`` (a truncated or damaged file is reported, not read
        half); on both backends refuses a schema written by a newer app
        (:func:`hotspots.db.check_known`).
        """
        from hotspots import db

        if self._read.dialect.name == "sqlite":
            with self._read.connect() as conn:
                problems = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").all() if r[0] != "ok"]
            if problems:
                raise StoreFaultError("err_db_fault", kind="integrity: " + problems[0][:60])
        db.check_known(self._read)

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
        """Yield a connection inside one write transaction: all or nothing.

        Writes are serialised on both backends, so ids and duplicate checks never race:
        SQLite by ``BEGIN IMMEDIATE``, PostgreSQL by a transaction-level advisory lock.

        Raises
        ------
        StoreBusyError
            If another writer (a long import) held the lock past the busy timeout.
        """
        try:
            with self._write.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
                yield conn
        except sa.exc.OperationalError as exc:
            if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                raise StoreBusyError("err_db_busy") from None
            raise

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
            for period in sorted({r.period for r in records}):
                self._check_open(conn, period, dataset)
            known = self._known_hotspots(conn, [r.hotspot_id for r in records if r.hotspot_id])
            check_same_identity(records, known)
            numbers = self._id_numbers(conn)
            places = self._places(conn, {r.period for r in records}) if reject_duplicates else {}
            batch = _NewHotspots()
            for i, record in enumerate(records):
                results.append(
                    self._write_one(conn, record, unit_of[i], author=author, action=action, dataset=dataset,
                                    known=known, numbers=numbers, places=places if reject_duplicates else None,
                                    batch=batch)
                )
            batch.insert(conn)
        return results

    @staticmethod
    def _units_for(records: Sequence[Record]) -> list[int | None]:
        if not records:
            return []
        gdf = gpd.GeoDataFrame(geometry=[r.geometry for r in records], crs=settings.CRS_STORE)
        return [int_or_none(v) for v in units.assign_units(gdf)]

    @staticmethod
    def _known_hotspots(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Return ``id -> (category, name)`` of the stored hotspots among ``ids`` (chunked queries)."""
        unique = sorted(set(ids))
        known: dict[str, tuple[str, str]] = {}
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            rows = conn.execute(sa.select(HOTSPOTS.c.id, HOTSPOTS.c.category, HOTSPOTS.c.name).where(HOTSPOTS.c.id.in_(chunk)))
            known.update({str(r.id): (str(r.category), str(r.name)) for r in rows})
        return known

    @staticmethod
    def _id_numbers(conn: Connection) -> dict[str, int]:
        """Return the highest number of the ``H-<problem>-<n>`` ids per problem, in one query."""
        numbers: dict[str, int] = {}
        for hid in conn.execute(sa.select(HOTSPOTS.c.id).where(HOTSPOTS.c.id.like("H-%"))).scalars():
            problem, _, number = str(hid)[2:].rpartition("-")
            if number.isascii() and number.isdigit() and len(number) < 10:
                numbers[problem] = max(numbers.get(problem, 0), int(number))
        return numbers

    @staticmethod
    def _places(conn: Connection, periods: set[str]) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """Return ``(period, wkt) -> [(id, name)]`` of the stored located observations of ``periods``."""
        rows = conn.execute(
            sa.select(OBSERVATIONS.c.period, OBSERVATIONS.c.geometry_wkt, HOTSPOTS.c.id, HOTSPOTS.c.name)
            .join(HOTSPOTS, OBSERVATIONS.c.hotspot_id == HOTSPOTS.c.id)
            .where(OBSERVATIONS.c.period.in_(sorted(periods))).where(OBSERVATIONS.c.geometry_wkt.is_not(None))
        )
        places: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for r in rows:
            places.setdefault((str(r.period), str(r.geometry_wkt)), []).append((str(r.id), str(r.name)))
        return places

    def _write_one(
        self, conn: Connection, record: Record, unit: int | None, *, author: str, action: str,
        dataset: str, known: dict[str, tuple[str, str]], numbers: dict[str, int],
        places: dict[tuple[str, str], list[tuple[str, str]]] | None, batch: _NewHotspots,
    ) -> dict[str, str]:
        exists = record.hotspot_id is not None and record.hotspot_id in known
        if places is not None:
            _check_duplicate(places, record)
        if exists:
            batch.insert(conn)  # a hotspot added earlier in this write must be there first
            result = self._upsert_observation(conn, record, unit, author=author, action=action)
            return {"id": str(record.hotspot_id), "result": result}
        if record.hotspot_id is None:
            numbers[record.problem] = numbers.get(record.problem, 0) + 1
            record = record.with_id(f"H-{record.problem}-{numbers[record.problem]:02d}")
        hid = str(record.hotspot_id)
        known[hid] = (record.category, record.name)
        if places is not None and record.geometry is not None:
            places.setdefault((record.period, record.geometry.wkt), []).append((hid, record.name))
        batch.add(record, unit, author=author, action=action, dataset=dataset)
        return {"id": hid, "result": "added"}

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
            conn.execute(REVIEWS.delete().where(REVIEWS.c.dataset == "example"))
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
        """Record a hotspot's outcome at the review of ``period``.

        Outcomes: ``persists``, ``moved`` (to ``geometry``), ``refined`` (located more
        precisely: ``geometry`` with a better grade), ``resolved`` or ``removed`` (a data
        correction). The observation is copied from the hotspot's latest earlier period;
        the hotspot keeps its identity, and its grade unless ``location_quality`` says
        otherwise; its source is ``location_source`` or else says the outcome and period. Returns the write result.

        Raises
        ------
        ValidationError, NotFoundError, ConflictError
            Bad outcome or place, no earlier record, or the review of ``period`` is closed.
        """
        model.check_period(period)
        latest = self.latest_observation(hotspot_id, before=period)
        if latest is None:
            raise NotFoundError("err_no_earlier_period", id=hotspot_id, period=period)
        status = OUTCOME_STATUS.get(outcome)
        if status is None:
            raise ValidationError("err_choice", field="outcome", value=outcome, allowed=", ".join(OUTCOME_STATUS))
        geom, quality, source = latest["geometry"], str(latest["location_quality"]), str(latest["location_source"])
        moved_from = None
        if outcome in ("moved", "refined"):
            quality = location_quality or (quality if quality != "unlocated" else "approximate")
            geom = model.check_geometry(geometry, quality)
            if geom is None:
                raise ValidationError("err_geometry_missing", quality=quality)
            units.check_inside_municipality(geom)
            geom = model.canonical(geom)
            source = location_source or f"{'moved' if outcome == 'moved' else 'located more precisely'} at review {period}"
            moved_from = str(latest["period"])
        record = Record(
            name=str(latest["name"]), category=str(latest["category"]), problem=str(latest["problem"]),
            period=period, status=status, location_quality=quality, geometry=geom,
            location_source=source, notes=model.check_note(notes), hotspot_id=hotspot_id,
        )
        unit = self._units_for([record])[0]
        with self.transaction() as conn:
            self._check_open(conn, period, str(latest["dataset"]))
            return self._upsert_observation(conn, record, unit, author=author, action=f"review:{outcome}", moved_from=moved_from)

    # -- the review of a period as a piece of work ----------------------------------------
    @staticmethod
    def _check_open(conn: Connection, period: str, dataset: str) -> None:
        state = conn.execute(sa.select(REVIEWS.c.state).where(
            (REVIEWS.c.period == period) & (REVIEWS.c.dataset == dataset))).scalar_one_or_none()
        if state == "closed":
            raise ConflictError("err_review_closed", period=period)

    def review_state(self, period: str, *, dataset: str = "real") -> dict[str, Any]:
        """Return the review of ``period``: completeness now, and whether it was closed, by whom, why.

        Keys: ``period``, ``due``, ``reviewed``, ``not_reviewed`` (ids), ``complete``,
        ``closed`` (bool), ``reason``, ``updated_by``, ``updated_at``.
        """
        from hotspots.movement import completeness

        done = completeness(self.hotspots(dataset=dataset), period)
        with self._read.connect() as conn:
            row = conn.execute(sa.select(REVIEWS).where(
                (REVIEWS.c.period == period) & (REVIEWS.c.dataset == dataset))).mappings().first()
        return {"period": period, "due": list(done.due), "reviewed": list(done.reviewed),
                "not_reviewed": list(done.not_reviewed), "complete": done.complete,
                "closed": row is not None and row["state"] == "closed",
                "reason": "" if row is None else row["reason"],
                "updated_by": None if row is None else row["updated_by"],
                "updated_at": None if row is None else row["updated_at"]}

    def close_review(self, period: str, *, author: str, reason: str = "", dataset: str = "real") -> None:
        """Close the review of ``period``: only when complete, or with an explicit reason.

        Raises
        ------
        ValidationError
            If hotspots are still not reviewed and no reason is given.
        ConflictError
            If it is already closed.
        """
        from hotspots.movement import completeness

        model.check_period(period)
        reason = model.check_note(reason).strip()
        with self.transaction() as conn:
            self._check_open(conn, period, dataset)
            done = completeness(self.hotspots(dataset=dataset), period)
            if not done.complete and not reason:
                raise ValidationError("err_review_incomplete", period=period, n=len(done.not_reviewed), due=len(done.due))
            values = {"state": "closed", "reason": reason, "reviewed": len(done.reviewed), "due": len(done.due)}
            self._set_review(conn, period, dataset, values, author=author, action="review close")

    def reopen_review(self, period: str, *, author: str, reason: str, dataset: str = "real") -> None:
        """Reopen a closed review (the reason is required and kept in the history).

        Raises
        ------
        ValidationError
            If no reason is given, or the review is not closed.
        """
        reason = model.check_note(reason).strip()
        if not reason:
            raise ValidationError("err_reason_missing")
        with self.transaction() as conn:
            state = conn.execute(sa.select(REVIEWS.c.state).where(
                (REVIEWS.c.period == period) & (REVIEWS.c.dataset == dataset))).scalar_one_or_none()
            if state != "closed":
                raise ValidationError("err_review_not_closed", period=period)
            self._set_review(conn, period, dataset, {"state": "open", "reason": reason}, author=author, action="review reopen")

    def _set_review(self, conn: Connection, period: str, dataset: str, values: dict[str, Any], *, author: str,
                    action: str) -> None:
        where = (REVIEWS.c.period == period) & (REVIEWS.c.dataset == dataset)
        old = conn.execute(sa.select(REVIEWS).where(where)).mappings().first()
        stamp = {"updated_at": now(), "updated_by": author}
        if old is None:
            conn.execute(REVIEWS.insert().values(period=period, dataset=dataset, **{"reviewed": 0, "due": 0, **values}, **stamp))
        else:
            conn.execute(REVIEWS.update().where(where).values(**values, **stamp))
        self.log(conn, author=author, action=action, entity="review", entity_id=f"{dataset}:{period}", period=period,
                 before=None if old is None else {k: old[k] for k in values}, after=values)

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
            self._check_open(conn, period, str(row["dataset"]))
            return self._upsert_observation(conn, record, unit, author=author, action="place")

    def recompute_units(self, *, author: str, layer: gpd.GeoDataFrame | None = None) -> int:
        """Recompute every observation's unit (after the unit layer changed); returns changes.

        ``layer`` is the unit layer to use (default: the installed one).
        """
        gdf = self.hotspots(dataset=None)
        computed = units.assign_units(gdf, layer)
        changed = 0
        with self.transaction() as conn:
            for (_, row), unit in zip(gdf.iterrows(), computed):
                new, old = int_or_none(unit), int_or_none(row["unit_computed"])  # "unit" falls back to the plan's
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

    def unit_counts(self, period: str, *, category: str, dataset: str = "real") -> dict[int, int]:
        """Return the number of active hotspots per unit (1-6) of one category, counted in SQL."""
        h, o = HOTSPOTS, OBSERVATIONS
        unit = sa.func.coalesce(o.c.unit, h.c.plan_unit)
        query = (sa.select(unit, sa.func.count()).join(o, o.c.hotspot_id == h.c.id)
                 .where((o.c.period == period) & (o.c.status == "active") & (h.c.category == category)
                        & (h.c.dataset == dataset) & unit.is_not(None))
                 .group_by(unit))
        with self._read.connect() as conn:
            counts = {int(u): int(n) for u, n in conn.execute(query)}
        return {u: counts.get(u, 0) for u in settings.UNIT_NUMBERS}

    def ids_in_bbox(self, period: str, bbox: tuple[float, float, float, float], *, dataset: str = "real") -> list[str]:
        """Return the ids of the hotspots of ``period`` whose shape meets ``bbox`` (lon/lat).

        On PostGIS the filter runs in SQL on the indexed geometry column; on SQLite the
        shapes are read and filtered with shapely.
        """
        h, o = HOTSPOTS, OBSERVATIONS
        query = sa.select(h.c.id, o.c.geometry_wkt).join(o, o.c.hotspot_id == h.c.id).where(
            (o.c.period == period) & (h.c.dataset == dataset) & o.c.geometry_wkt.is_not(None))
        with self._read.connect() as conn:
            if conn.dialect.name == "postgresql":
                envelope = sa.text("ST_Intersects(geom, ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326))").bindparams(
                    x0=bbox[0], y0=bbox[1], x1=bbox[2], y1=bbox[3])
                return sorted(conn.execute(sa.select(h.c.id).join(o, o.c.hotspot_id == h.c.id).where(
                    (o.c.period == period) & (h.c.dataset == dataset) & envelope)).scalars())
            rows = conn.execute(query).all()
        box = shapely.box(*bbox)
        return sorted(hid for hid, wkt in rows if shapely.from_wkt(wkt).intersects(box))

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

    def backup(self, target: Path) -> Path:
        """Write a consistent copy of the store to ``target`` while it stays in use.

        SQLite: the online backup API (readers and writers go on meanwhile). A server
        database: ``pg_dump --format=custom``.
        """
        import sqlite3
        import subprocess

        target = Path(target)
        if target.exists():
            raise ConflictError("err_backup_exists", path=str(target))
        if self.url.startswith("sqlite:///"):
            source = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            copy = sqlite3.connect(target)
            try:
                with copy:
                    source.backup(copy)
            finally:
                copy.close()
                source.close()
            return target
        plain = self.url.replace("+psycopg", "").replace("+psycopg2", "")
        subprocess.run(["pg_dump", "--format=custom", "--file", str(target), plain], check=True)
        return target

    def integrity_problems(self) -> list[str]:
        """Return what SQLite's integrity and foreign-key checks find (empty when sound)."""
        if not self.url.startswith("sqlite"):
            return []
        with self._read.connect() as conn:
            found = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").all() if r[0] != "ok"]
            found += [f"foreign key: {tuple(r)}" for r in conn.exec_driver_sql("PRAGMA foreign_key_check").all()]
        return found

    def version(self) -> int:
        """Return a number that changes whenever anything is written (for cache keys)."""
        with self._read.connect() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(HISTORY.c.id), 0))).scalar_one())

    def count(self, table: str) -> int:
        """Return the number of rows of a table (``hotspots``, ``history``, …)."""
        with self._read.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(META.tables[table])).scalar_one())


class _NewHotspots:
    """New hotspots of one write, inserted together (three multi-row inserts, not 3 per record)."""

    def __init__(self) -> None:
        self.hotspots: list[dict[str, Any]] = []
        self.observations: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []

    def add(self, record: Record, unit: int | None, *, author: str, action: str, dataset: str) -> None:
        """Queue a new hotspot, its first observation and its one history row."""
        if not author or not str(author).strip():
            raise ValidationError("err_author_missing")
        stamp = now()
        row = {
            "id": record.hotspot_id, "category": record.category, "problem": record.problem,
            "name": record.name, "name_en": record.name_en, "description": record.description,
            "plan_unit": record.plan_unit, "activities": ",".join(record.activities),
            "dataset": dataset, "created_at": stamp, "created_by": author,
        }
        observation = {
            "geometry_wkt": None if record.geometry is None else record.geometry.wkt,
            "status": record.status, "unit": unit, "location_quality": record.location_quality,
            "location_source": record.location_source, "notes": record.notes, "moved_from": None,
        }
        self.hotspots.append(row)
        self.observations.append({"hotspot_id": record.hotspot_id, "period": record.period, **observation,
                                  "updated_at": stamp, "updated_by": author})
        self.history.append({
            "at": stamp, "author": author, "action": action, "entity": "hotspot", "entity_id": record.hotspot_id,
            "period": record.period, "before": None,
            "after": json.dumps({**row, "observation": observation}, ensure_ascii=False, default=str),
        })

    def insert(self, conn: Connection) -> None:
        """Insert everything queued, inside the caller's transaction, and empty the queue."""
        for table, rows in ((HOTSPOTS, self.hotspots), (OBSERVATIONS, self.observations), (HISTORY, self.history)):
            if rows:
                conn.execute(table.insert(), rows)
                rows.clear()


def _check_duplicate(places: dict[tuple[str, str], list[tuple[str, str]]], record: Record) -> None:
    """Refuse a new hotspot with the name of another one at the very same place and period."""
    if record.geometry is None:
        return
    for hid, name in places.get((record.period, record.geometry.wkt), []):
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
