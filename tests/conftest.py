"""Shared fixtures: a fresh store per test, the command line run in-process on each backend."""

from __future__ import annotations

import hashlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from hotspots import cli as hotspots_cli
from hotspots import db, settings
from hotspots.store import Store

from . import pgcluster

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _runtime_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep runtime data (a replaced unit layer) in the test's own folder, never in ``data/``."""
    folder = tmp_path / "runtime-data"
    monkeypatch.setenv("HOTSPOTS_DATA_DIR", str(folder))
    return folder


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "hotspots.sqlite"


@pytest.fixture()
def store(db_path: Path) -> Store:
    s = Store(db_path)
    s.init(author="test")
    return s


@dataclass(frozen=True)
class CliResult:
    """What one command line run gave: its exit code and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


#: Signature of the ``cli`` fixtures: ``cli(*args, input=None, env=None)``.
CliRunner = Callable[..., CliResult]


def _exit_code(exc: SystemExit) -> tuple[int, str]:
    """Return the process exit code a ``SystemExit`` gives, and what Python prints for it."""
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or 0, ""
    return 1, f"{exc.code}\n"


def make_cli(db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Return a runner of ``hotspots.cli.main(["--db", db_url, *args])`` in this process.

    ``input`` is what stdin holds (passwords are read from it); ``env`` holds environment
    variables set for this one run. Exit codes are those of ``python -m hotspots``:
    ``main``'s return value, or the code of a ``SystemExit`` (argparse errors exit 2).
    """

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> CliResult:
        capsys.readouterr()  # drop what ran before: the result holds this run's output only
        with monkeypatch.context() as mp:
            mp.setenv("HOTSPOTS_ADMIN_PASSWORD", "test-admin-pw")
            for key, value in (env or {}).items():
                mp.setenv(key, value)
            mp.setattr(sys, "stdin", io.StringIO(input or ""))
            extra = ""
            try:
                code = hotspots_cli.main(["--db", db_url, *args])
            except SystemExit as exc:
                code, extra = _exit_code(exc)
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err + extra)

    return run


@pytest.fixture()
def cli(backend_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Run the command line in-process on a fresh database of each backend (SQLite, PostGIS)."""
    return make_cli(backend_url, capsys, monkeypatch)


@pytest.fixture()
def sqlite_cli(db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Run the command line in-process on an SQLite file (for tests about SQLite files)."""
    return make_cli(str(db_path), capsys, monkeypatch)


def db_digest(url: str | Path) -> dict[str, tuple[int, str]]:
    """Return per table its row count and SHA-256 (:func:`hotspots.db.table_checksums`), any backend.

    Two equal digests mean nothing stored changed, on SQLite and PostGIS alike.
    """
    engine = sa.create_engine(settings.database_url(url))
    try:
        return db.table_checksums(engine)
    finally:
        engine.dispose()


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pgcluster.Cluster]:
    """Start a throwaway PostgreSQL + PostGIS cluster for the whole run (CI must have one)."""
    why = pgcluster.available()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"PostGIS backend cannot be tested: {why}")
        pytest.skip(why)
    cluster = pgcluster.start()
    yield cluster
    cluster.stop()


#: Every backend the store supports; backend-parametrised tests run on each.
BACKENDS: tuple[str, ...] = ("sqlite", "postgis")


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a fresh, empty database on each backend: an SQLite file, or a new PostGIS database."""
    if request.param == "sqlite":
        return str(tmp_path / "hotspots.sqlite")
    cluster: pgcluster.Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


@pytest.fixture()
def backend_store(backend_url: str) -> Iterator[Store]:
    """Return a store with the plan's baseline on each backend (SQLite file, fresh PostGIS database)."""
    s = Store(backend_url)
    s.init(author="test")
    yield s
    s.dispose()  # PostGIS: give the pooled connections back to the throwaway cluster

