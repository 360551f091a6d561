"""Several municipalities, one deployment: each one's data apart, its accounts its own.

PostGIS: two made-up municipalities share one database, each in its own schema (``db_schema``
of its folder). Each app process (here: the command line, a process per municipality, as the
folder is read at start) sees and writes only its own hotspots, incidents and accounts, though
both use the same hotspot ids. SQLite: a file belongs to the municipality that created it, and a
process serving another is refused before it reads or writes anything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import madeup

from .conftest import file_digest

ROOT = Path(__file__).resolve().parent.parent


def _env(folder: Path, db: str) -> dict[str, str]:
    env = {**os.environ, "HOTSPOTS_MUNICIPALITY": str(folder), "HOTSPOTS_DB": db,
           "HOTSPOTS_TODAY": "2026-01-20", "HOTSPOTS_LANG": "en"}
    env.pop("HOTSPOTS_DATA_DIR", None)
    env.pop("HOTSPOTS_FIRST_PERIOD", None)  # from the folder's plan (2025-H1)
    return env


def _run(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hotspots", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          input=stdin, timeout=300, check=False)


def _python(env: dict[str, str], code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def _names(env: dict[str, str]) -> dict[str, str]:
    done = _run(env, "export", "--format", "geojson")
    assert done.returncode == 0, done.stderr
    return {f["properties"]["id"]: f["properties"]["name"] for f in json.loads(done.stdout)["features"]}


def _role_engine(url: str, prefix: str, *grants: str) -> sa.Engine:
    """Create a login role (a fresh name) with ``grants`` (``{role}`` in each) and return an engine logged in as it."""
    role = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}'"))
        for grant in grants:
            conn.execute(sa.text(grant.format(role=role)))
    admin.dispose()
    return sa.create_engine(sa.engine.make_url(url).set(username=role, password=f"pw-{role}"))


def test_two_municipalities_in_one_postgis_database_see_only_their_own(pg_cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = pg_cluster.new_database()
    a = _env(madeup.build(tmp_path / "a", key="qyteza", name="Qyteza", db_schema="qyteza"), url)
    b = _env(madeup.build(tmp_path / "b", key="fshati", name="Fshati", db_schema="fshati"), url)
    for env in (a, b):
        done = _run(env, "init")
        assert done.returncode == 0 and "3 baseline hotspots loaded" in done.stdout, done.stderr
    assert _run(a, "users", "add", "staff_a", "--role", "staff", stdin="staff-a-password-1\n").returncode == 0

    new = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {
        "type": "Point", "coordinates": list(madeup.INSIDE["Veriu"])}, "properties": {
        "category": "crime", "name": "Parku i Qytezës", "period": "2025-H2", "status": "active",
        "location_quality": "exact", "location_source": "GPS"}}]}
    (tmp_path / "new.geojson").write_text(json.dumps(new), encoding="utf-8")
    assert _run(a, "import", str(tmp_path / "new.geojson")).returncode == 0
    (tmp_path / "incidents.csv").write_text(madeup.incidents_csv(), encoding="utf-8")
    done = _run(a, "incidents", "import", str(tmp_path / "incidents.csv"))
    assert done.returncode == 0 and "40 new incidents" in done.stdout, done.stdout + done.stderr

    in_a, in_b = _names(a), _names(b)
    assert sorted(in_a) == ["H-4.2-01", "Q-4.2-01", "Q-4.2-02", "Q-4.3-01"] and sorted(in_b) == [
        "Q-4.2-01", "Q-4.2-02", "Q-4.3-01"]  # the same ids, each its own
    assert all("(Qyteza)" in n for i, n in in_a.items() if i != "H-4.2-01") and all("(Fshati)" in n for n in in_b.values())
    count = "from hotspots.incidents import table; from hotspots.plan.store import Store; " \
            "print(table.count(Store()))"
    assert (_python(a, count), _python(b, count)) == ("40", "0")

    login = "from hotspots.accounts import auth; from hotspots.plan.store import Store; " \
            "print(auth.authenticate(Store(), 'staff_a', 'staff-a-password-1'))"
    assert (_python(a, login), _python(b, login)) == ("staff", "None")  # an account of A is unknown to B

    (tmp_path / "over.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {**new["features"][0], "properties": {**new["features"][0]["properties"], "id": "H-4.2-01",
                                              "name": "Written by B"}}]}), encoding="utf-8")
    assert _run(b, "import", str(tmp_path / "over.geojson")).returncode == 0  # B's own new hotspot, not A's
    assert _names(a)["H-4.2-01"] == "Parku i Qytezës" and _names(b)["H-4.2-01"] == "Written by B"

    # in a deployment each municipality's processes log in as its own database role (README):
    # that role is granted its schema only, and the database refuses it the other's tables
    as_b = _role_engine(url, "muni", "GRANT USAGE ON SCHEMA fshati TO {role}",
                        "GRANT SELECT ON ALL TABLES IN SCHEMA fshati TO {role}")
    with as_b.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM fshati.hotspots")).scalar() == 4
    with as_b.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
        conn.execute(sa.text("SELECT count(*) FROM qyteza.hotspots"))
    as_b.dispose()

    # each council closes its review of 2025-H1: the qark's roll-up reads what both published, and only that
    for env in (a, b):
        done = _run(env, "review", "close", "--period", "2025-H1", "--reason", "mbyllur për provë")
        assert done.returncode == 0, done.stderr
    done = _run(a, "qark", "--totals")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "qark,municipality,period,category,active",
        "Qarku i Provës,fshati,2025-H1,crime,2", "Qarku i Provës,fshati,2025-H1,street_children,1",
        "Qarku i Provës,qyteza,2025-H1,crime,2", "Qarku i Provës,qyteza,2025-H1,street_children,1"]
    as_qark = _role_engine(url, "qark", "GRANT SELECT ON public.published_counts TO {role}")
    with as_qark.connect() as conn:
        assert conn.execute(sa.text("SELECT count(DISTINCT municipality) FROM public.published_counts")).scalar() == 2
    for table in ("qyteza.hotspots", "fshati.incidents", "public.published_counts"):
        with as_qark.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            verb = "DELETE FROM" if table.startswith("public") else "SELECT count(*) FROM"
            conn.execute(sa.text(f"{verb} {table}"))  # read-only, and nothing of any municipality but its counts
    as_qark.dispose()

def test_a_sqlite_file_of_one_municipality_is_refused_by_another(tmp_path: Path, db_path: Path,
                                                                 initialised_template: Path) -> None:
    db_path.write_bytes(initialised_template.read_bytes())  # created and claimed by Elbasan
    before = file_digest(db_path)
    other = _env(madeup.build(tmp_path / "q"), str(db_path))
    for args in (("export", "--format", "csv"), ("init",)):
        done = _run(other, *args)
        assert done.returncode != 0, done.stdout
        assert "belongs to the municipality “elbasan”; this process serves “qyteza”" in done.stderr, done.stderr
    assert file_digest(db_path) == before
    fresh = tmp_path / "qyteza.sqlite"
    assert _run(_env(madeup.build(tmp_path / "q2"), str(fresh)), "init").returncode == 0
    assert _run({**other, "HOTSPOTS_MUNICIPALITY": ""}, "--db", str(fresh), "export").returncode != 0
