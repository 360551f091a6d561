"""The basemap setting: none, osm, an internal tile server's URL template, or an MBTiles file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from hotspots.maps import basemap
from hotspots.maps import builders as maps
from hotspots.base import settings
from hotspots.base.errors import SettingError

#: A 1×1 PNG (the smallest valid tile).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def make_mbtiles(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE metadata (name text, value text)")
        conn.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
        conn.executemany("INSERT INTO metadata VALUES (?, ?)",
                         [("name", "Elbasan"), ("format", "png"), ("attribution", "© Bashkia Elbasan"), ("maxzoom", "18")])
        conn.execute("INSERT INTO tiles VALUES (14, 9105, 10130, ?)", (PNG,))  # TMS row: y = 2**14 - 1 - 10130
    return path


def test_settings_name_four_kinds_and_refuse_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    assert [basemap.kind(v) for v in ("none", "OSM", "https://t.police.local/{z}/{x}/{y}.png", "a.mbtiles")] == \
        ["none", "osm", "url", "mbtiles"]
    with pytest.raises(ValueError, match="tile URL template"):
        basemap.kind("https://t.police.local/tiles.png")  # no {z}/{x}/{y}
    monkeypatch.setenv("HOTSPOTS_BASEMAP", "ftp://nonsense")
    with pytest.raises(SettingError, match="HOTSPOTS_BASEMAP"):
        settings.basemap()
    assert [e.params["name"] for e in settings.problems()] == ["HOTSPOTS_BASEMAP"]


def test_an_internal_tile_server_is_used_as_given() -> None:
    html = maps.new_map(basemap="https://tiles.police.local/{z}/{x}/{y}.png").get_root().render()
    assert "https://tiles.police.local/{z}/{x}/{y}.png" in html
    assert "tile.openstreetmap.org" not in html


def test_an_mbtiles_file_is_unpacked_and_served_by_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "STATIC_DIR", tmp_path / "static")
    path = make_mbtiles(tmp_path / "elbasan.mbtiles")
    source = basemap.tile_source(str(path))
    assert source is not None and source.url.startswith("/app/static/basemap/elbasan-")
    assert source.url.endswith("/{z}/{x}/{y}.png") and source.attribution == "© Bashkia Elbasan"
    assert basemap.prepare(path) == 1 and basemap.prepare(path) == 1  # once
    tile = basemap.local_folder(path) / "14" / "9105" / f"{2**14 - 1 - 10130}.png"
    assert tile.read_bytes() == PNG
    html = maps.new_map(basemap=str(path)).get_root().render()
    assert source.url in html and "Bashkia Elbasan" in html


def test_a_missing_mbtiles_file_gives_a_map_without_tiles(tmp_path: Path) -> None:
    assert basemap.tile_source(str(tmp_path / "gone.mbtiles")) is None
    assert "L.tileLayer" not in maps.new_map(basemap=str(tmp_path / "gone.mbtiles")).get_root().render()


@pytest.mark.parametrize("column, row", [
    ("../../../../escaped", 0), ("/tmp/absolute", 0), (0, "../../escaped"), (0, "/tmp/absolute-row"),
    (1.5, 0), (-1, 0), (2**14, 0), (0, 2**14), (b"..", 0),
])
def test_an_mbtiles_file_with_paths_for_tile_numbers_writes_nothing_outside(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: object, row: object) -> None:
    """A crafted file (paths, absolute values, fractions, out of range) is refused; nothing leaves static/basemap/."""
    static = tmp_path / "app" / "static"
    monkeypatch.setattr(settings, "STATIC_DIR", static)
    monkeypatch.chdir(tmp_path)
    path = make_mbtiles(tmp_path / "crafted.mbtiles")
    with sqlite3.connect(path) as conn:  # the good tile of make_mbtiles first, then the crafted one
        conn.execute("INSERT INTO tiles VALUES (14, ?, ?, ?)", (column, row, PNG))
    before = {p for p in tmp_path.rglob("*")}
    with pytest.raises(ValueError, match="MBTiles"):
        basemap.prepare(path)
    written = {p for p in tmp_path.rglob("*")} - before
    assert all(p.is_relative_to(static / "basemap") for p in written), written
    assert not [p for p in written if p.is_file()]  # checked before anything is written
    assert not list(Path("/tmp").glob("absolute*")) and not list(tmp_path.rglob("escaped*"))


def test_a_zoom_level_that_is_a_path_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "STATIC_DIR", tmp_path / "static")
    path = make_mbtiles(tmp_path / "zoom.mbtiles")
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO tiles VALUES ('../../..', 0, 0, ?)", (PNG,))
    with pytest.raises(ValueError, match="zoom_level"):
        basemap.prepare(path)
    assert not list((tmp_path / "static").rglob("*.png"))
