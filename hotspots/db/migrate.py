"""The database schema's version: Alembic migrations run from Python, on SQLite and PostGIS alike.

Every schema change is a revision in ``hotspots/db/migrations/versions``. :func:`upgrade`
brings any earlier database to the newest revision in one transaction; a database written
before migrations existed (main at 1ca9a03) is recognised by its tables and stamped with
the baseline first. A database newer than this code is refused, never touched.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util.exc import CommandError
from sqlalchemy.engine import Engine

from hotspots.base.errors import ConflictError, StoreFaultError
from hotspots.db.schema import META


MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """Return the newest revision this code knows."""
    rev = ScriptDirectory.from_config(_config()).get_current_head()
    assert rev is not None
    return rev


def current(engine: Engine) -> str | None:
    """Return the database's revision (None for an empty or pre-migration database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _legacy_revision(conn: sa.Connection) -> str | None:
    """Return the revision a database made before migrations matches, or None if it is empty."""
    tables = set(sa.inspect(conn).get_table_names())
    if "hotspots" not in tables:
        return None
    return "0002" if "reviews" in tables else "0001"


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except (ResolutionError, CommandError):
        return False


def check_known(engine: Engine) -> None:
    """Raise if the database carries a revision this code does not know (read only: changes nothing).

    Raises
    ------
    StoreFaultError
        If the database was written by a newer app.
    """
    before = current(engine)
    if before is not None and not _known(ScriptDirectory.from_config(_config()), before):
        raise StoreFaultError("err_db_fault", kind=f"schema {before}, newer than this app's {head()}")


def upgrade(engine: Engine, *, probe: Engine | None = None) -> tuple[str | None, str]:
    """Bring the database to the newest revision; return (revision before, revision after).

    ``probe``, a read-only engine of the same database, is asked first whether the schema is
    one this code knows, so that a refused database is not even opened for writing.

    Raises
    ------
    StoreFaultError
        If the database carries a revision this code does not know (written by a newer app).
    """
    check_known(probe or engine)
    config = _config()
    with engine.begin() as conn:
        before = MigrationContext.configure(conn).get_current_revision()
        config.attributes["connection"] = conn
        if before is None:
            legacy = _legacy_revision(conn)
            if legacy is not None:
                command.stamp(config, legacy)
                before = legacy
        command.upgrade(config, "head")
    return before, head()


def _tables() -> list[sa.Table]:
    return list(META.sorted_tables)


def table_checksums(engine: Engine) -> dict[str, tuple[int, str]]:
    """Return per table of the app its row count and a SHA-256 of its rows (ordered by primary key).

    Values are compared as text, so the same data on SQLite and PostgreSQL give the same sums.
    """
    with engine.connect() as conn:
        return checksums(conn)


def checksums(conn: sa.Connection) -> dict[str, tuple[int, str]]:
    """:func:`table_checksums` on an open connection (inside a transaction, before it commits)."""
    out = {}
    for table in _tables():
        order = list(table.primary_key.columns) or list(table.columns)
        digest = hashlib.sha256()
        count = 0
        for row in conn.execute(sa.select(*table.columns).order_by(*order)):
            digest.update(json.dumps([None if v is None else str(v) for v in row], ensure_ascii=False).encode())
            count += 1
        out[table.name] = (count, digest.hexdigest())
    return out


def copy(source: Engine, target: Engine, *, batch: int = 5000) -> dict[str, tuple[int, str]]:
    """Copy every table of the app (history and accounts included) into an empty database.

    The target is brought to the newest schema first; the copy is one transaction, then
    verified by row count and checksum per table. Returns the verified checksums.

    Raises
    ------
    ConflictError
        If the target already holds data, or the copy does not verify (nothing is kept then).
    """
    check_known(source)
    upgrade(target)
    with target.connect() as conn:
        filled = [t.name for t in _tables() if conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()]
    if filled:
        raise ConflictError("err_db_copy_not_empty", tables=", ".join(filled))
    expected = table_checksums(source)
    with source.connect() as src, target.begin() as dst:
        for table in _tables():
            result = src.execute(sa.select(*table.columns))
            while rows := result.mappings().fetchmany(batch):
                dst.execute(table.insert(), [dict(r) for r in rows])
            if dst.dialect.name == "postgresql":
                _reset_sequences(dst, table)
        got = checksums(dst)
        if got != expected:
            bad = sorted(k for k in expected if expected[k] != got.get(k))
            raise ConflictError("err_db_copy_mismatch", tables=", ".join(bad))
    return expected


def _reset_sequences(conn: sa.Connection, table: sa.Table) -> None:
    for column in table.primary_key.columns:
        if column.autoincrement is True or (isinstance(column.type, sa.Integer) and len(table.primary_key.columns) == 1):
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f"COALESCE((SELECT max({column.name}) FROM {table.name}), 0) + 1, false)"))
