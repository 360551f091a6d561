"""A throwaway PostgreSQL + PostGIS cluster for the tests, started from Debian's packages.

No running service is assumed: ``initdb`` + ``pg_ctl`` as the ``postgres`` user on a free
port of 127.0.0.1, a template database with PostGIS, one fresh database per test made from
it, and the cluster stopped at the end. Durability is switched off (fsync): it is a test.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _bin_dir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


def available() -> str | None:
    """Return why no cluster can be started here, or None when it can."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        return "PostgreSQL is not installed (apt-get install postgresql postgis; make test does it)"
    if not list(Path("/usr/share/postgresql").glob("*/extension/postgis.control")):
        return "PostGIS is not installed (apt-get install postgis)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *args], check=True, capture_output=True, text=True, **kw)  # type: ignore[call-overload]


@dataclass
class Cluster:
    """A running cluster: its data directory and port."""

    data: Path
    port: int
    bin_dir: Path
    templates: set[str] = field(default_factory=set)
    _admin: Any = field(default=None, repr=False)

    def execute(self, sql: str) -> None:
        """Run one statement as the superuser on ``postgres``, outside a transaction.

        One connection kept open for the whole run (``CREATE DATABASE`` per test without
        starting ``psql`` each time).
        """
        import psycopg

        if self._admin is None:
            self._admin = psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                                          autocommit=True)
        self._admin.execute(sql)

    def psql(self, sql: str, *, database: str = "postgres") -> str:
        """Run SQL as the superuser and return its output."""
        return _as_postgres([str(self.bin_dir / "psql"), "-X", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                             "-d", database, "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql]).stdout

    def url(self, database: str) -> str:
        """Return the SQLAlchemy URL of a database of this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, *, template: str = "hs_template") -> str:
        """Create a fresh database from ``template`` (default: empty, with PostGIS) and return its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def stop(self) -> None:
        """Stop the cluster and remove its files."""
        if self._admin is not None:
            self._admin.close()
        _as_postgres([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(self.data.parent, ignore_errors=True)


def start() -> Cluster:
    """Initialise and start a cluster on a free port; create the PostGIS template database."""
    bin_dir = _bin_dir()
    assert bin_dir is not None, available()
    root = Path(tempfile.mkdtemp(prefix="hs-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale", "C.UTF-8"])
    port = _free_port()
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " \
              "-c full_page_writes=off -c max_connections=200"
    _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(data / "log"), "start"])
    cluster = Cluster(data, port, bin_dir)
    cluster.psql("CREATE DATABASE hs_template")
    cluster.psql("CREATE EXTENSION postgis", database="hs_template")
    return cluster
