"""Shared fixtures: a fresh store per test, the command line run in-process on each backend."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bcrypt
import pytest
import sqlalchemy as sa

from hotspots.accounts import auth
from hotspots.db import migrate as db
from hotspots.base import settings
from hotspots.cli import commands as hotspots_cli
from hotspots.plan.store import Store

from . import pgcluster

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _runtime_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep runtime data (a replaced unit layer) in the test's own folder, never in ``data/``."""
    folder = tmp_path / "runtime-data"
    monkeypatch.setenv("HOTSPOTS_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="session", autouse=True)
def _component_scan_once() -> Iterator[None]:
    """Scan the installed packages for Streamlit components once per run, not once per AppTest.

    Every ``AppTest`` reads the metadata of every installed distribution to find custom
    components (streamlit.components.v2); nothing is installed during a run, so the first
    scan's answer holds for all (about a tenth of the page tests' time).
    """
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    found: list[list[Any]] = []

    def scan_once(max_workers: int | None = None) -> list[Any]:
        if not found:
            found.append(scan(max_workers))
        return list(found[0])

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(manifest_scanner, "scan_component_manifests", scan_once)
        yield


#: bcrypt's cost in tests (its lowest, ~1 ms a hash); the app uses bcrypt's default, 12 (~0.3 s).
TEST_BCRYPT_ROUNDS = 4


@pytest.fixture(autouse=True)
def _cheap_bcrypt(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Hash passwords at bcrypt's lowest cost: the same hashes and checks, ~300 times cheaper.

    Tests create and log in accounts hundreds of times; at the real cost that was more
    than a minute of CPU per run. A test marked ``real_bcrypt_cost`` keeps the app's cost
    (the stored hash says ``$2b$12$``; an unknown account costs as much as a known one).
    """
    auth._dummy_hash.cache_clear()  # made at the cost of the test that first needs it
    if not request.node.get_closest_marker("real_bcrypt_cost"):
        real = bcrypt.gensalt
        monkeypatch.setattr(bcrypt, "gensalt", lambda rounds=TEST_BCRYPT_ROUNDS, prefix=b"2b": real(rounds, prefix))
    yield
    auth._dummy_hash.cache_clear()


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "hotspots.sqlite"


def initialised_copy(template: Path, target: Path) -> Store:
    """Copy an initialised store file (:func:`initialised_template`) to ``target`` and open it.

    The copy holds what ``Store(target).init(author="test")`` writes (schema at the newest
    revision, the plan's baseline, its history), without running the migrations and the
    baseline import again for every test.
    """
    shutil.copyfile(template, target)
    return Store(target)


@pytest.fixture(scope="session")
def initialised_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return an SQLite store initialised once per run (``init(author="test")``), copied per test."""
    path = tmp_path_factory.mktemp("template") / "hotspots.sqlite"
    s = Store(path)
    s.init(author="test")
    s.dispose()  # folds the WAL into the file: the file alone is the whole store
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture()
def store(db_path: Path, initialised_template: Path) -> Store:
    """Return a fresh SQLite store with the plan's baseline (a copy of the run's initialised template)."""
    return initialised_copy(initialised_template, db_path)


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
    """Return a runner of ``hotspots.cli.commands.main(["--db", db_url, *args])`` in this process.

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
    """Return per table its row count and SHA-256 (:func:`hotspots.db.migrate.table_checksums`), any backend.

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


def pg_store_template(cluster: pgcluster.Cluster) -> str:
    """Return the name of the cluster's template database holding an initialised store (made once)."""
    name = "hs_store_template"
    if name not in cluster.templates:
        cluster.execute(f"CREATE DATABASE {name} TEMPLATE hs_template")
        s = Store(cluster.url(name))
        s.init(author="test")
        s.dispose()  # a template database must have no open connection when copied
        cluster.templates.add(name)
    return name


#: Every backend the store supports; backend-parametrised tests run on each.
BACKENDS: tuple[str, ...] = ("sqlite", "postgis")


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a fresh, empty database on each backend: an SQLite file, or a new PostGIS database.

    When the test also asks for ``backend_store``, the database is instead a copy of a store
    initialised once per run (what ``Store(url).init(author="test")`` gives).
    """
    initialised = "backend_store" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "hotspots.sqlite"
        if initialised:
            shutil.copyfile(request.getfixturevalue("initialised_template"), path)
        return str(path)
    cluster: pgcluster.Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database(template=pg_store_template(cluster) if initialised else "hs_template")


@pytest.fixture()
def backend_store(backend_url: str) -> Iterator[Store]:
    """Return a store with the plan's baseline on each backend (SQLite file, fresh PostGIS database).

    ``backend_url`` is then a copy of a store initialised once per run
    (``init(author="test")``), not an empty database: see :func:`backend_url`.
    """
    s = Store(backend_url)
    yield s
    s.dispose()  # PostGIS: give the pooled connections back to the throwaway cluster

