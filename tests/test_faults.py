"""Faults said in plain words: a database path that cannot be, a full disk, a bad setting in --lang (issue 23)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from hotspots.db import database
from hotspots.plan.records import point_record
from hotspots.plan.store import Store

from .conftest import CliRunner, make_cli


@pytest.mark.parametrize(("lang", "said"), [("en", "cannot be created or opened: a part of the path is a file"),
                                            ("sq", "nuk mund të krijohet ose hapet: një pjesë e shtegut është skedar")])
def test_a_database_under_a_file_is_a_clear_message_not_a_traceback(
        lang: str, said: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    run = make_cli("/etc/passwd/x.sqlite", capsys, monkeypatch)
    done = run("--lang", lang, "init")
    assert done.returncode == 2
    assert said in done.stderr and "/etc/passwd/x.sqlite" in done.stderr
    assert "Traceback" not in done.stderr and "Errno" not in done.stderr


def test_a_full_disk_is_said_so_not_cannot_be_read(sqlite_cli: CliRunner) -> None:
    assert sqlite_cli("init").returncode == 0
    done = sqlite_cli("--lang", "en", "export", "--format", "csv", "-o", "/dev/full")  # a device that is always full
    assert done.returncode == 2
    assert "The disk is full" in done.stderr and "cannot be written" in done.stderr
    assert "cannot be read" not in done.stderr and "Traceback" not in done.stderr
    done = sqlite_cli("--lang", "sq", "export", "--format", "csv", "-o", "/dev/full")
    assert "Disku është plot" in done.stderr


def test_a_database_that_fills_its_disk_is_reported_full(store: Store) -> None:
    """SQLite's own "database or disk is full" (its page limit reached, as on a full disk) is a full disk."""
    @sa.event.listens_for(store.write_engine, "connect")
    def _no_more_pages(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    store.write_engine.dispose()
    big = [point_record(name=f"Hotspot {i} " + "x" * 250, category="crime", lat=41.11, lon=20.08 + i * 1e-4,
                        period="2022-H2", location_quality="approximate", notes="n" * 4000) for i in range(40)]
    with pytest.raises(sa.exc.OperationalError) as raised:
        store.write_records(big, author="test")
    assert "full" in str(raised.value)
    fault = database.fault(raised.value)
    assert fault.key == "err_disk_full"
    assert "The disk is full" in fault.message("en") and "cannot be read" not in fault.message("en")
    assert len(store.hotspots(period="2022-H2")) == 0  # nothing half-written


def test_a_bad_today_follows_lang(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                  tmp_path: Path) -> None:
    run = make_cli(str(tmp_path / "x.sqlite"), capsys, monkeypatch)
    done = run("--lang", "en", "init", env={"HOTSPOTS_TODAY": "1.12.2026"})
    assert done.returncode == 2 and "HOTSPOTS_TODAY" in done.stderr and "cannot be used" in done.stderr
    assert "nuk përdoret" not in done.stderr
    done = run("--lang", "sq", "init", env={"HOTSPOTS_TODAY": "1.12.2026"})
    assert "nuk përdoret" in done.stderr and "cannot be used" not in done.stderr
    done = run("init", env={"HOTSPOTS_TODAY": "1.12.2026"})  # no --lang: both languages (the setting may be the language)
    assert "nuk përdoret" in done.stderr and "cannot be used" in done.stderr


def test_the_upload_limit_is_one_setting_that_streamlit_and_nginx_agree_on() -> None:
    import re
    import tomllib

    from hotspots import serve
    from hotspots.base import settings

    root = Path(__file__).resolve().parent.parent
    assert settings.UPLOAD_MAX_MB * 1024 * 1024 >= max(settings.IMPORT_MAX_BYTES, settings.INCIDENT_IMPORT_MAX_BYTES)
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == settings.UPLOAD_MAX_MB
    assert serve.upload_limit([]) == ["--server.maxUploadSize", str(settings.UPLOAD_MAX_MB)]
    nginx = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", (root / "deploy" / "nginx.conf").read_text(), re.M)
    assert nginx == [str(settings.UPLOAD_MAX_MB + 1)]  # one MiB more: the multipart envelope around the file
