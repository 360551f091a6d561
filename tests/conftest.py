"""Shared fixtures: a fresh store per test, the command line as a subprocess."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hotspots.store import Store

from . import pgcluster

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "hotspots.sqlite"


@pytest.fixture()
def store(db_path: Path) -> Store:
    s = Store(db_path)
    s.init(author="test")
    return s


@pytest.fixture()
def cli(db_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m hotspots --db <tmp db> ARGS`` and return the completed process."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "HOTSPOTS_ADMIN_PASSWORD": "test-admin-pw", **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "hotspots", "--db", str(db_path), *args],
            cwd=ROOT, capture_output=True, text=True, input=input, env=full_env, timeout=120,
        )

    return run


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pgcluster.Cluster]:
    """A throwaway PostgreSQL + PostGIS cluster for the whole run (CI must have one)."""
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
    """A fresh, empty database on each backend: an SQLite file, or a new PostGIS database."""
    if request.param == "sqlite":
        return str(tmp_path / "hotspots.sqlite")
    cluster: pgcluster.Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


@pytest.fixture()
def backend_store(backend_url: str) -> Iterator[Store]:
    """A store with the plan's baseline on each backend (SQLite file, fresh PostGIS database)."""
    s = Store(backend_url)
    s.init(author="test")
    yield s
    s.dispose()  # PostGIS: give the pooled connections back to the throwaway cluster


def state_digest(store: Store) -> dict[str, tuple[int, str]]:
    """Return every table's row count and checksum: "nothing changed" on any backend."""
    from hotspots import db

    return db.table_checksums(store.read_engine)
