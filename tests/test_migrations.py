"""Schema migrations: a database written by the landed app upgrades with nothing lost, on both backends."""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from hotspots.accounts import auth
from hotspots.db import migrate as db
from hotspots.plan import editing
from hotspots.review import review
from hotspots.base.errors import HotspotError
from hotspots.plan.store import Store

FIXTURE = Path(__file__).parent / "data" / "landed-1ca9a03.sql"
#: The tables of the landed schema, with the columns that order their rows.
LANDED = {"hotspots": "id", "observations": "id", "history": "id", "users": "name",
          "activity_status": "activity_id, period", "problem_priority": "problem_id, period"}


def _landed_sqlite(path: Path) -> str:
    con = sqlite3.connect(path)
    con.executescript(FIXTURE.read_text(encoding="utf-8"))
    con.close()
    return str(path)


def _landed_postgis(url: str, tmp_path: Path) -> str:
    """Build the landed schema on PostGIS (as its create_all made it) holding the fixture's rows."""
    engine = sa.create_engine(url)
    source = sa.create_engine("sqlite:///" + _landed_sqlite(tmp_path / "source.sqlite"))
    with engine.begin() as conn:  # the baseline revision's tables, without any migration record
        with Operations.context(MigrationContext.configure(conn)):
            importlib.import_module("hotspots.db.migrations.versions.0001_baseline").upgrade()
        meta = sa.MetaData()
        meta.reflect(conn, only=list(LANDED))
        with source.connect() as src:
            for table in ("hotspots", "observations", "history", "users", "activity_status", "problem_priority"):
                rows = [dict(r) for r in src.execute(sa.text(f"SELECT * FROM {table}")).mappings()]
                if rows:
                    conn.execute(meta.tables[table].insert(), rows)
        for table in ("observations", "history"):  # the serial columns go on after the copied ids
            conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    engine.dispose()
    source.dispose()
    return url


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of the landed tables, in the landed columns (a new column is not a change)."""
    engine = sa.create_engine(url if "://" in url else "sqlite:///" + url)
    landed = sqlite3.connect(":memory:")
    landed.executescript(FIXTURE.read_text(encoding="utf-8"))
    out = {}
    with engine.connect() as conn:
        for table, order in LANDED.items():
            columns = ", ".join(f'"{c[1]}"' for c in landed.execute(f"PRAGMA table_info({table})"))
            out[table] = [tuple(r) for r in conn.execute(sa.text(f"SELECT {columns} FROM {table} ORDER BY {order}"))]
    engine.dispose()
    return out


@pytest.fixture()
def landed(backend_url: str, tmp_path: Path) -> str:
    if "://" not in backend_url:
        return _landed_sqlite(Path(backend_url))
    return _landed_postgis(backend_url, tmp_path)


def test_a_landed_database_upgrades_with_nothing_lost(landed: str) -> None:
    before = _rows(landed)
    assert len(before["hotspots"]) == 15 and len(before["history"]) == 23 and len(before["users"]) == 2
    store = Store(landed)
    assert store.create_schema() == ("0001", db.head())
    assert db.current(store.write_engine) == db.head()
    assert _rows(landed) == before  # every landed row byte-for-byte
    assert store.create_schema() == (db.head(), db.head())  # idempotent
    assert not sa.inspect(store.read_engine).has_table("meta")  # the unused key-value table is gone (issue 12)
    # and the app works on it: the partial review, the accounts, the plan state
    state = editing.review_state(store, "2022-H2")
    assert (len(state["reviewed"]), len(state["due"])) == (3, 14) and not state["closed"]
    rv = review.build_review(store.hotspots(), "2022-H1", "2022-H2")
    assert (rv.result["class"] == "resolved").sum() == 1 and (rv.result["class"] == "not_reviewed").sum() == 11
    assert auth.authenticate(store, "anila", "staff-password-1") == "staff"
    assert store.activity_status("2022-H2").iloc[0]["note"] == "takim mujor"
    editing.close_review(store, "2022-H2", author="anila", reason="upgrade test")  # the new table is there and written
    store.dispose()


def test_postgis_gets_a_real_geometry_column_with_a_spatial_index(pg_cluster) -> None:
    url = pg_cluster.new_database()
    store = Store(url)
    store.init(author="test")
    with store.read() as conn:
        kind = conn.execute(sa.text("SELECT type FROM geometry_columns WHERE f_table_name = 'observations'")).scalar_one()
        located = conn.execute(sa.text("SELECT count(*) FROM observations WHERE geom IS NOT NULL")).scalar_one()
        wkt = conn.execute(sa.text("SELECT count(*) FROM observations WHERE geometry_wkt IS NOT NULL")).scalar_one()
        index = conn.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'observations_geom_gist'")).scalar_one()
    assert kind == "GEOMETRY" and located == wkt == 6 and "USING gist (geom)" in index
    store.dispose()


def test_a_database_from_a_newer_app_is_refused_untouched(tmp_path: Path, sqlite_cli) -> None:
    path = _landed_sqlite(tmp_path / "future.sqlite")
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    con.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    con.commit()
    con.close()
    digest = Path(path).read_bytes()
    with pytest.raises(HotspotError, match="newer than this app"):
        Store(path).create_schema()
    done = sqlite_cli("--db", path, "--lang", "en", "init")
    assert done.returncode == 2 and "newer than this app" in done.stderr and "Traceback" not in done.stderr
    assert Path(path).read_bytes() == digest


def test_sql_counts_and_bbox_filter_agree_on_both_backends(backend_url: str) -> None:
    from hotspots.plan import views

    store = Store(backend_url)
    store.init(author="test")
    frame = store.hotspots(period="2022-H1")
    for category in ("crime", "street_children"):
        assert store.unit_counts("2022-H1", category=category) == views.active_counts_per_unit(frame, category=category)
    assert store.unit_counts("2022-H1", category="crime") == {1: 3, 2: 0, 3: 1, 4: 2, 5: 0, 6: 3}  # the plan's
    box = (20.05, 41.09, 20.12, 41.13)
    located = sorted(frame.loc[frame.geometry.notna(), "id"])
    assert store.ids_in_bbox("2022-H1", box) == located and store.ids_in_bbox("2022-H1", (19.0, 40.0, 19.1, 40.1)) == []
    store.dispose()


def test_an_office_database_copies_to_postgis_verified_and_refuses_a_filled_target(tmp_path: Path, pg_cluster) -> None:
    source = Store(_landed_sqlite(tmp_path / "office.sqlite"))
    source.init(author="test")
    editing.close_review(source, "2022-H2", author="anila", reason="copy test")
    url = pg_cluster.new_database()
    target = Store(url)
    sums = db.copy(source.read_engine, target.write_engine)
    assert sums["history"][0] == source.count("history") and sums["users"][0] == 2
    assert db.table_checksums(target.read_engine) == db.table_checksums(source.read_engine) == sums
    assert editing.review_state(target, "2022-H2")["closed"]
    editing.record_review(target, "H-1.7-02", "2023-H1", outcome="persists", version=None, author="anila")
    assert target.count("history") == source.count("history") + 1  # sequences continue after the copied ids
    with pytest.raises(HotspotError, match="not empty"):
        db.copy(source.read_engine, target.write_engine)
    source.dispose()
    target.dispose()


def test_cli_upgrades_and_copies_an_office_database_to_postgis(tmp_path: Path, pg_cluster, sqlite_cli) -> None:
    path = _landed_sqlite(tmp_path / "office.sqlite")
    done = sqlite_cli("--db", path, "db", "upgrade")
    assert done.returncode == 0 and done.stdout.strip() == f"schema 0001 -> {db.head()}"
    url = pg_cluster.new_database()
    done = sqlite_cli("--db", path, "db", "copy", "--to", url)
    assert done.returncode == 0, done.stderr
    assert "copied and verified" in done.stdout and "history\t23\t" in done.stdout
    again = sqlite_cli("--db", path, "--lang", "en", "db", "copy", "--to", url)
    assert again.returncode == 2 and "not empty" in again.stderr
    assert Store(url).count("hotspots") == 15
