"""Hardening (issue 10): each finding's test.

Import speed and busy store, CSV formulas, URL parameters, units import all or nothing,
database faults, terminal output, metrics, kill -9.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import shapely
import sqlalchemy as sa
from .hostile import HOSTILE_STRINGS
from streamlit.testing.v1 import AppTest

from hotspots.base import settings
from hotspots.base.errors import StoreBusyError
from hotspots.cli import commands as cli
from hotspots.db.schema import HOTSPOTS
from hotspots.plan import exchange, units
from hotspots.plan.records import make_record
from hotspots.plan.store import Store


ROOT = Path(__file__).resolve().parent.parent


def _points(n: int, period: str = "2023-H1") -> list:
    xs = [20.075 + (i % 200) * 0.0001 for i in range(n)]
    ys = [41.108 + (i // 200) * 0.0001 for i in range(n)]
    return [make_record({"name": f"P{i}", "category": "crime", "period": period}, shapely.Point(x, y))
            for i, (x, y) in enumerate(zip(xs, ys, strict=True))]


def _points_file(path: Path, n: int) -> Path:
    features = [{"type": "Feature",
                 "geometry": {"type": "Point", "coordinates": [20.075 + (i % 200) * 1e-4, 41.108 + (i // 200) * 1e-4]},
                 "properties": {"name": f"P{i}", "category": "crime", "period": "2023-H1"}} for i in range(n)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


# -- finding 3: a big import ----------------------------------------------------------------
def test_a_big_import_uses_a_few_statements_not_several_per_record(store: Store) -> None:
    records = _points(2000)
    highest = max(int(i.rsplit("-", 1)[1]) for i in store.hotspots(dataset=None)["id"] if i.startswith("H-1.7-"))
    statements: list[str] = []
    sa.event.listen(store.write_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    results = store.write_records(records, author="test", action="import")
    assert len(results) == 2000 and {r["result"] for r in results} == {"added"}
    assert len(statements) < 30, len(statements)  # before: ~5 per record (10,000+)
    assert [r["id"] for r in results[:2]] == [f"H-1.7-{highest + 1:02d}", f"H-1.7-{highest + 2:02d}"]
    assert results[-1]["id"] == f"H-1.7-{highest + 2000}"  # numbered on from the stored ones


def test_a_save_during_an_import_waits_and_then_succeeds(store: Store, db_path: Path) -> None:
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another writer (an import) holds the lock
    release = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    release.start()
    t0 = time.monotonic()
    store.write_records(_points(1), author="staff")
    assert time.monotonic() - t0 >= 0.9
    release.join()
    holder.close()


def test_a_save_that_cannot_wait_longer_says_so_plainly(store: Store, db_path: Path) -> None:
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    impatient = Store(db_path, busy_seconds=0.3)
    with pytest.raises(StoreBusyError) as info:
        impatient.write_records(_points(1), author="staff")
    assert "nothing was saved" in info.value.message("en") and "typed is still here" in info.value.message("en")
    holder.execute("ROLLBACK")
    holder.close()


# -- finding 4: CSV formula injection --------------------------------------------------------
def test_csv_export_neutralises_formulas_and_geojson_keeps_the_text(store: Store) -> None:
    formulas = [s for s in HOSTILE_STRINGS if s.startswith(exchange.FORMULA_STARTS)]
    records = [make_record({"name": f"{s}", "category": "crime", "period": "2023-H1", "notes": s},
                           shapely.Point(20.08 + i * 1e-3, 41.11)) for i, s in enumerate(formulas)]
    store.write_records(records, author="test")
    gdf = store.hotspots(period="2023-H1")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(exchange.to_csv(gdf), newline="")))
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if c.startswith(exchange.FORMULA_STARTS)]
    assert sum(c.startswith("'=") or c.startswith("'+") or c.startswith("'-") or c.startswith("'@") for c in cells) >= 8
    names = {f["properties"]["name"] for f in json.loads(exchange.to_geojson(gdf))["features"]}
    assert set(s.strip() for s in formulas) <= names


def test_our_csv_export_imports_back_unchanged(store: Store, tmp_path: Path) -> None:
    store.write_records([make_record({"name": "=1+1 te shkolla", "category": "crime", "period": "2023-H1"},
                                     shapely.Point(20.081, 41.111))], author="test")
    path = tmp_path / "x.csv"
    path.write_text(exchange.to_csv(store.hotspots(period="2023-H1")))
    assert [r.name for r in exchange.read_features(path)] == ["=1+1 te shkolla"]


# -- finding 5: hostile URL parameters --------------------------------------------------------
@pytest.mark.parametrize("params", [{"unit": "²"}, {"unit": "9" * 5000}, {"unit": "1,1,1"},
                                    {"layers": "hotspots,units,cluster"}, {"period": "<script>"},
                                    {"category": "\x00"}, {"lang": "xx"}])
def test_hostile_url_parameters_give_the_map_or_a_notice(params: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setenv("HOTSPOTS_DB", str(tmp_path / "url.sqlite"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    assert at.title and at.title[0].value in ("Harta e hotspot-eve", "Hotspot map") or at.title


def test_the_cluster_layer_sets_a_max_zoom_when_there_are_no_tiles(store: Store) -> None:
    from hotspots.maps import builders as maps
    from hotspots.maps import payloads as map_payloads
    from hotspots.plan.plan import load_plan

    payload = map_payloads.hotspot_payload(store.hotspots(period="2022-H1"))
    m = maps.hotspot_map(payload, plan=load_plan(), priorities={}, lang="sq", units=None, unit_counts={},
                         approximate_units=True, layers=("hotspots", "cluster"), basemap="none")
    html = m.get_root().render()
    # the layer's script sets maxZoom before it makes the cluster (unit-tested in tests/js/hotspot-layer.test.js)
    assert '"cluster":true' in html
    assert html.index("leaflet.markercluster.js") < html.index("hotspot-layer.js") < html.index("HotspotLayer.add(")


def test_hostile_names_render_into_the_map_verbatim_never_as_templates(store: Store) -> None:
    # found by the hardening suite: folium wraps each element's script in a new Jinja
    # template, so a name like "{{ constructor… }}" crashed (or ran) on the server
    from hotspots.maps import builders as maps
    from hotspots.maps import payloads as map_payloads
    from hotspots.plan.plan import load_plan

    records = [make_record({"name": s, "category": "crime", "period": "2023-H1", "notes": s},
                           shapely.Point(20.078 + (i % 10) * 0.002, 41.108 + (i // 10) * 0.002))
               for i, s in enumerate(HOSTILE_STRINGS)]
    store.write_records(records, author="test")
    payload = map_payloads.hotspot_payload(store.hotspots(period="2023-H1"))
    m = maps.hotspot_map(payload, plan=load_plan(), priorities={}, lang="sq", units=None, unit_counts={},
                         approximate_units=True)
    html = m.get_root().render()
    assert "{{" not in html.split("var D = ")[1].split(", P = ")[0]  # escaped as \u007b{, not evaluated
    start = html.index("var D = ") + len("var D = ")
    data = json.loads(html[start:html.index(", P = ", start)])
    assert {r.name for r in records} <= set(data["name"])  # every name arrives verbatim


# -- finding 7: units import all or nothing ---------------------------------------------------
def test_units_import_on_a_broken_database_keeps_the_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    layer_file = units.write_units(units.load_units())  # a replaced layer in the data directory
    assert layer_file == settings.units_file()
    before = layer_file.read_bytes()
    official = tmp_path / "official.gpkg"
    official_layer = units.load_units().to_crs(settings.CRS_METRIC)
    official_layer["NAME"] = [f"Lagjja nr. {u}" for u in official_layer["unit"]]
    official_layer[["NAME", "geometry"]].to_file(official, driver="GPKG")
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    code = cli.main(["--db", str(broken), "--lang", "en", "units", "import", str(official), "--unit-field", "NAME"])
    assert code == 2 and "database" in capsys.readouterr().err
    assert layer_file.read_bytes() == before
    assert not list(layer_file.parent.glob("*.new.geojson"))


# -- finding 8: database faults ----------------------------------------------------------------
def _corrupt(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)


def _truncated(path: Path) -> None:
    store = Store(path)
    store.init(author="test")
    store.dispose()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _future(path: Path) -> None:
    store = Store(path)
    store.init(author="test")
    with store.transaction() as conn:  # a revision this code does not know: a newer app wrote it
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_newer'")
    store.dispose()


def _directory(path: Path) -> None:
    path.mkdir()


FAULTS = {"corrupt": _corrupt, "truncated": _truncated, "future schema": _future, "a directory": _directory}
PAGES = ["pages/map.py", "pages/review.py", "pages/plan.py", "pages/overview.py", "pages/login.py"]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_app_turns_a_database_fault_into_a_message(fault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # app.py checks the login against the store before any page; a page's own reads run
    # inside the same guard (ui.fault_guard), so every URL gets this message, never a traceback
    db = tmp_path / "fault.sqlite"
    FAULTS[fault](db)
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    for lang in ("sq", "en"):
        monkeypatch.setenv("HOTSPOTS_LANG", lang)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception, (fault, at.exception)
        assert at.error and at.error[0].value.startswith(("Baza e të dhënave nuk", "The database cannot")), (fault, at.error)
        assert str(tmp_path) not in at.error[0].value


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_command_line_turns_a_database_fault_into_exit_2(fault: str, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "fault.sqlite"
    FAULTS[fault](db)
    for args in (["export", "--format", "csv"], ["users", "list"], ["db", "check"]):
        code = cli.main(["--db", str(db), "--lang", "en", *args])
        err = capsys.readouterr().err
        assert code in (1, 2) and "Traceback" not in err, (fault, args, err)


def test_export_from_a_missing_folder_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "no-such-folder" / "hotspots.sqlite"
    assert cli.main(["--db", str(db), "--lang", "en", "export", "--format", "csv"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not db.exists() and not db.parent.exists()


# -- item 6: db backup and db check -----------------------------------------------------------
def test_db_backup_and_check(store: Store, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.sqlite"
    assert cli.main(["--db", str(db_path), "db", "backup", str(copy)]) == 0
    assert Store(copy).count("hotspots") == store.count("hotspots")
    assert cli.main(["--db", str(db_path), "db", "backup", str(copy)]) == 2  # never overwrites
    assert cli.main(["--db", str(copy), "db", "check"]) == 0
    assert capsys.readouterr().out.strip().endswith("ok")


# -- finding 10: terminal output, metrics, the review pack -----------------------------------
def test_export_to_a_terminal_strips_escape_sequences(store: Store, db_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import pty

    with store.transaction() as conn:  # data written before validation refused control characters
        conn.execute(HOTSPOTS.update().where(HOTSPOTS.c.id == "H-1.7-02").values(name="evil\x1b]0;owned\x07\x1b[2J"))
    store.dispose()
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "hotspots", "--db", str(db_path), "export", "--format", "csv"],
                            cwd=ROOT, stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(leader)
    assert b"evil" in out and b"\x1b" not in out and b"\x07" not in out
    assert cli.main(["--db", str(db_path), "export", "--format", "csv"]) == 0
    assert "\x1b" in capsys.readouterr().out  # a file or a pipe gets the data exactly


def test_the_launcher_leaves_metrics_out() -> None:
    from streamlit.web.server.starlette import starlette_app

    from hotspots import serve

    original = starlette_app.create_metrics_routes
    try:
        serve.hide_metrics()
        assert starlette_app.create_metrics_routes(None, None) == []
    finally:
        starlette_app.create_metrics_routes = original


# -- kill -9 during a large import -------------------------------------------------------------
def test_kill_9_during_a_large_import_keeps_every_committed_write(store: Store, db_path: Path, tmp_path: Path) -> None:
    kept = _points(30, period="2024-H1")
    for record in kept:  # writes committed before the import starts
        store.write_records([record], author="staff")
    before = store.count("hotspots")
    store.dispose()
    big = _points_file(tmp_path / "big.geojson", 10_000)
    proc = subprocess.Popen([sys.executable, "-m", "hotspots", "--db", str(db_path), "import", str(big)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    probe = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:  # until the import holds the write lock
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the import ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    probe.close()
    after = Store(db_path)
    assert after.integrity_problems() == []
    assert after.count("hotspots") == before  # no half-import
    assert set(after.hotspots(period="2024-H1")["name"]) == {r.name for r in kept}
