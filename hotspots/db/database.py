"""The database: engines, transactions with their history, the data version.

Everything that touches SQL at the level of "a database" lives here, once, for every
concern (hotspot observations, plan state, accounts, incidents, places): the shared
:data:`~hotspots.db.schema.META` and its tables (in :mod:`hotspots.db.schema`), the read and write
engines of a URL (SQLite embedded, or
PostgreSQL + PostGIS), :meth:`Database.transaction` (one serialised write, all or nothing),
:func:`log` (the append-only history row every write adds, with its author) and
:meth:`Database.version` (a number that changes on every write, for cache keys).
The concerns are plain functions taking a connection, in the manner of geopandas'
``io/sql.py``: :mod:`hotspots.plan.observations`, :mod:`hotspots.plan.plan_state`,
:mod:`hotspots.accounts.auth` and :mod:`hotspots.accounts.sessions`, :mod:`hotspots.incidents.table`,
:mod:`hotspots.places.store`; the rules of editing are in :mod:`hotspots.plan.editing`.
"""

from __future__ import annotations

import errno
import json
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from hotspots.base import settings
from hotspots.base.errors import ConflictError, StoreBusyError, StoreFaultError, ValidationError
from hotspots.db import migrate
from hotspots.db.schema import HISTORY, META, MUNICIPALITY_OWNER


#: Key of the PostgreSQL advisory lock that serialises the app's writes.
WRITE_LOCK_KEY: int = 7_151_100


def now() -> str:
    """Return the current UTC time as ISO 8601 text (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def log(
    conn: Connection, *, author: str, action: str, entity: str, entity_id: str,
    period: str | None = None, before: Any = None, after: Any = None,
) -> None:
    """Append a history row inside the caller's transaction.

    Raises
    ------
    ValidationError
        If ``author`` is empty: no write without an author.
    """
    conn.execute(HISTORY.insert().values(history_row(author=author, action=action, entity=entity, entity_id=entity_id,
                                                     period=period, before=before, after=after)))


def logged_ids(db: Database, *, action: str, entity: str) -> set[str]:
    """Return the ids of every ``entity`` the history records an ``action`` on (e.g. the dismissed proposals)."""
    query = sa.select(HISTORY.c.entity_id).where((HISTORY.c.action == action) & (HISTORY.c.entity == entity))
    with db.read() as conn:
        return {str(i) for i in conn.execute(query).scalars()}


def history_row(
    *, author: str, action: str, entity: str, entity_id: str, period: str | None = None,
    before: Any = None, after: Any = None, at: str | None = None,
) -> dict[str, Any]:
    """Return the values of one history row (for :func:`log`, or a multi-row insert)."""
    if not author or not str(author).strip():
        raise ValidationError("err_author_missing")
    return {
        "at": at or now(), "author": author, "action": action, "entity": entity, "entity_id": entity_id,
        "period": period,
        "before": None if before is None else json.dumps(before, ensure_ascii=False, default=str),
        "after": None if after is None else json.dumps(after, ensure_ascii=False, default=str),
    }


#: errno values that mean "no space left": the disk, or the user's quota.
_FULL_ERRNOS: frozenset[int] = frozenset({errno.ENOSPC, errno.EDQUOT})
#: errno values that mean "this place cannot be written" (permissions, a read-only disk).
_WRITE_ERRNOS: frozenset[int] = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


#: What a database or file fault arrives as: the pages and the command line turn each into :func:`fault`'s message.
FAULTS: tuple[type[BaseException], ...] = (sa.exc.SQLAlchemyError, sqlite3.Error, OSError)


def fault(exc: BaseException) -> StoreFaultError:
    """Return the translatable error that says what a database or file fault is, in plain words.

    A full disk (``ENOSPC``, SQLite's "database or disk is full", PostgreSQL's ``53100``)
    is ``err_disk_full``; a place that cannot be written (permissions, a read-only disk or
    database) is ``err_db_write``; anything else ``err_db_fault`` (cannot be read). The
    ``kind`` named holds no SQL and no server path.

    Examples
    --------
    >>> import errno
    >>> fault(OSError(errno.ENOSPC, "No space left on device")).key
    'err_disk_full'
    """
    reason = getattr(exc, "orig", None) or exc
    text = reason.strerror if isinstance(reason, OSError) else str(reason).splitlines()[0] if str(reason) else ""
    kind = f"{type(reason).__name__}: {str(text or '')[:80]}"
    code = getattr(reason, "errno", None) if isinstance(reason, OSError) else None
    lowered = str(reason).lower()
    if code in _FULL_ERRNOS or "disk is full" in lowered or getattr(reason, "sqlstate", None) == "53100":
        return StoreFaultError("err_disk_full", kind=kind)
    if code in _WRITE_ERRNOS or "readonly database" in lowered or "read-only" in lowered:
        return StoreFaultError("err_db_write", kind=kind)
    return StoreFaultError("err_db_fault", kind=kind)


def sqlite_engine(url: str, *, immediate: bool, busy_seconds: float) -> Engine:
    """Return an SQLite engine: WAL, foreign keys, a busy timeout; ``BEGIN IMMEDIATE`` for the writer.

    Raises
    ------
    StoreFaultError
        ``err_db_path`` when the database's folder cannot be made (a file stands in its
        path, as in ``/etc/passwd/x.sqlite``, or it may not be written).
    """
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise StoreFaultError("err_db_path", path=path[:200], reason=StoreFaultError("why_not_a_folder")) from None
        except OSError as exc:
            why = StoreFaultError("why_no_permission") if exc.errno in _WRITE_ERRNOS else fault(exc)
            raise StoreFaultError("err_db_path", path=path[:200], reason=why) from None
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


class Database:
    """A database URL with its engines: reads, serialised write transactions, schema, backups.

    Parameters
    ----------
    url
        A SQLAlchemy URL or a file path; default :func:`hotspots.base.settings.database_url`.
    busy_seconds
        How long a write waits for another writer before :class:`StoreBusyError`.
    must_exist
        Refuse a missing SQLite file, a damaged one or one from a newer app
        (:class:`StoreFaultError`) instead of creating or reading it.
    """

    def __init__(self, url: str | Path | None = None, *, busy_seconds: float = settings.DB_BUSY_SECONDS,
                 must_exist: bool = False) -> None:
        self.url = settings.database_url(url)
        path = self.url.removeprefix("sqlite:///")
        if must_exist and self.url.startswith("sqlite:///") and path != ":memory:" and not Path(path).is_file():
            raise StoreFaultError("err_db_missing", path=path)
        self.write_engine: Engine
        self.read_engine: Engine
        #: The PostgreSQL schema of the municipality's tables (``public`` unless its folder names one).
        self.schema: str = "public"
        if self.url.startswith("sqlite"):
            self.write_engine = sqlite_engine(self.url, immediate=True, busy_seconds=busy_seconds)
            self.read_engine = sqlite_engine(self.url, immediate=False, busy_seconds=busy_seconds)
            if must_exist:
                self.check_readable()
        else:  # a server database (PostGIS): writes serialised by an advisory lock, see transaction()
            self.write_engine = self.read_engine = sa.create_engine(self.url, pool_pre_ping=True)
            self._use_schema(settings.MUNICIPALITY.db_schema)
        self._schema_ready = False

    def _use_schema(self, schema: str) -> None:
        """Make every connection of a PostgreSQL engine work in ``schema`` (PostGIS stays in ``public``)."""
        self.schema = schema
        if schema == "public":
            return

        @sa.event.listens_for(self.write_engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute(f'SET search_path TO "{schema}", public')  # schema: [a-z][a-z0-9_]*, checked by the folder
            cur.close()
            dbapi_conn.commit()

    @property
    def dialect(self) -> str:
        """Return ``sqlite`` or ``postgresql``."""
        return str(self.read_engine.dialect.name)

    # -- connections --------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Connection]:
        """Yield a read connection (SQLite: never blocked by a writer, thanks to WAL)."""
        with self.read_engine.connect() as conn:
            yield conn

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
            with self.write_engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
                yield conn
        except sa.exc.OperationalError as exc:
            if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                raise StoreBusyError("err_db_busy") from None
            raise

    @staticmethod
    def log(conn: Connection, **fields: Any) -> None:
        """Append a history row inside the caller's transaction (see :func:`log`)."""
        log(conn, **fields)

    def dispose(self) -> None:
        """Close every pooled connection (SQLite then folds its WAL into the file)."""
        self.write_engine.dispose()
        self.read_engine.dispose()

    # -- schema -------------------------------------------------------------------------
    def create_schema(self) -> tuple[str | None, str]:
        """Bring the schema to the newest migration (idempotent); return (revision before, after).

        In a PostgreSQL database shared by several municipalities, the municipality's own schema
        is created first; the database is then claimed for the municipality (:meth:`claim`).
        """
        if self.dialect == "postgresql" and self.schema != "public":
            with self.write_engine.begin() as conn:
                # a new schema beside a municipality in public would read public's tables until its own exist
                new = conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": f'"{self.schema}".alembic_version'}).scalar()
                if new is None and conn.execute(sa.text("SELECT to_regclass('public.hotspots')")).scalar() is not None:
                    raise StoreFaultError("err_db_public_tables", schema=self.schema)
                conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
        done = migrate.upgrade(self.write_engine, probe=self.read_engine)
        self.claim()
        return done

    def claim(self) -> None:
        """Record that this database belongs to the municipality this process serves; refuse another's.

        Raises
        ------
        StoreFaultError
            ``err_db_other_municipality`` when it already belongs to another municipality.
        """
        key = settings.MUNICIPALITY.key
        with self.write_engine.begin() as conn:
            if not sa.inspect(conn).has_table(MUNICIPALITY_OWNER.name):
                return  # a schema older than the owner table: claimed once it is upgraded
            owner = conn.execute(sa.select(MUNICIPALITY_OWNER.c.key)).scalar()
            if owner is None:
                conn.execute(MUNICIPALITY_OWNER.insert().values(key=key, claimed_at=now()))
            elif owner != key:
                raise StoreFaultError("err_db_other_municipality", owner=owner, serving=key)

    def ensure_schema(self) -> None:
        """Bring the schema to the newest revision if it is not there yet (a read when it is)."""
        if not self._schema_ready:
            if migrate.current(self.read_engine) != migrate.head():
                self.create_schema()
            self._schema_ready = True

    def check_readable(self) -> None:
        """Raise :class:`StoreFaultError` unless the database is sound and not from a newer app.

        On SQLite runs ``quick_check`` (a truncated or damaged file is reported, not read
        half); on both backends refuses a schema written by a newer app
        (:func:`hotspots.db.migrate.check_known`).
        """
        if self.dialect == "sqlite":
            with self.read() as conn:
                problems = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").all() if r[0] != "ok"]
            if problems:
                raise StoreFaultError("err_db_fault", kind="integrity: " + problems[0][:60])
        migrate.check_known(self.read_engine)
        with self.read() as conn:
            if sa.inspect(conn).has_table(MUNICIPALITY_OWNER.name):
                owner = conn.execute(sa.select(MUNICIPALITY_OWNER.c.key)).scalar()
                if owner is not None and owner != settings.MUNICIPALITY.key:
                    raise StoreFaultError("err_db_other_municipality", owner=owner, serving=settings.MUNICIPALITY.key)

    def integrity_problems(self) -> list[str]:
        """Return what SQLite's integrity and foreign-key checks find (empty when sound, and on PostGIS)."""
        if self.dialect != "sqlite":
            return []
        with self.read() as conn:
            found = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").all() if r[0] != "ok"]
            found += [f"foreign key: {tuple(r)}" for r in conn.exec_driver_sql("PRAGMA foreign_key_check").all()]
        return found

    # -- whole-database reads -----------------------------------------------------------
    def version(self) -> int:
        """Return a number that changes whenever anything is written (for cache keys).

        Every write appends a history row in its transaction, so the newest history id is
        the data version on both backends, and every app process sees the same one.
        """
        with self.read() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(HISTORY.c.id), 0))).scalar_one())

    def count(self, table: str) -> int:
        """Return the number of rows of a table (``hotspots``, ``history``, …)."""
        with self.read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(META.tables[table])).scalar_one())

    def backup(self, target: Path) -> Path:
        """Write a consistent copy of the database to ``target`` while it stays in use.

        SQLite: the online backup API (readers and writers go on meanwhile). A server
        database: ``pg_dump --format=custom``.

        Raises
        ------
        ConflictError
            If ``target`` exists (a backup never overwrites).
        """
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
