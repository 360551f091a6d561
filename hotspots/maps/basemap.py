"""The basemap: none (offline default), OpenStreetMap, an internal tile server, or an MBTiles file.

One setting, ``HOTSPOTS_BASEMAP`` (see :func:`hotspots.base.settings.basemap`):

- ``none``: no tiles; the app's own boundaries, units and landmarks keep the map readable;
- ``osm``: OpenStreetMap's tiles (needs the internet);
- a tile URL template such as ``https://tiles.police.local/{z}/{x}/{y}.png`` (the police's or
  the municipality's own server);
- the path of an ``.mbtiles`` file (raster PNG/JPEG/WebP tiles): the app serves its tiles
  itself, unpacked once into ``static/basemap/`` (:func:`prepare`, run by ``hotspots.serve``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from hotspots.base import settings


#: Tile formats an MBTiles file may hold that a browser can draw as images.
RASTER_FORMATS: dict[str, str] = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}


@dataclass(frozen=True)
class TileSource:
    """Where a map's tiles come from: a URL template, its attribution and zoom range."""

    url: str
    attribution: str
    max_zoom: int = 19


def kind(setting: str) -> str:
    """Return what a basemap setting is: ``none``, ``osm``, ``url`` or ``mbtiles`` (:func:`~hotspots.base.settings.basemap_kind`).

    Raises
    ------
    ValueError
        If the setting is none of these (named, with what is allowed).

    Examples
    --------
    >>> kind("https://tiles.example.local/{z}/{x}/{y}.png"), kind("/srv/elbasan.mbtiles")
    ('url', 'mbtiles')
    """
    return settings.basemap_kind(setting)


def _metadata(path: Path) -> dict[str, str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {str(k): str(v) for k, v in conn.execute("SELECT name, value FROM metadata")}


def local_folder(path: Path) -> Path:
    """Return the folder under ``static/basemap/`` that holds the tiles of an MBTiles file.

    The name carries the file's size and modification time, so a new file is unpacked anew.
    """
    stat = path.stat()
    return settings.STATIC_DIR / "basemap" / f"{path.stem}-{stat.st_size}-{int(stat.st_mtime)}"


def mbtiles_source(path: Path) -> TileSource:
    """Return the app-served URL template of an MBTiles file's tiles."""
    meta = _metadata(path)
    fmt = RASTER_FORMATS.get(meta.get("format", "png").lower())
    if fmt is None:
        raise ValueError(f"{path} holds {meta.get('format')!r} tiles; only raster tiles "
                         f"({', '.join(RASTER_FORMATS)}) can be served")
    folder = local_folder(path).relative_to(settings.STATIC_DIR).as_posix()
    return TileSource(f"/app/static/{folder}/{{z}}/{{x}}/{{y}}.{fmt}",
                      meta.get("attribution") or meta.get("name") or path.name,
                      int(meta.get("maxzoom", 19)))


#: Deepest zoom level a tile may have (web maps stop well before).
MAX_ZOOM: int = 30


def tile_number(value: object, *, what: str, below: int) -> int:
    """Return a tile coordinate of an MBTiles row as an integer in ``0 .. below - 1``, else raise.

    Only integers (or their decimal digits) are accepted: a path (``../..``, ``/etc``), a
    fraction or a negative number is refused.

    Raises
    ------
    ValueError
        Naming the column and the value.

    Examples
    --------
    >>> tile_number(12, what="tile_column", below=2**14), tile_number("7", what="zoom_level", below=31)
    (12, 7)
    """
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12:
        number = int(value)
    if number is None or not 0 <= number < below:
        raise ValueError(f"an MBTiles row has {what}={str(value)[:40]!r}; only whole numbers from 0 to {below - 1} "
                         "are tile coordinates")
    return number


def tile_path(target: Path, z: object, x: object, row: object, ext: str) -> Path:
    """Return where the tile of an MBTiles row goes under ``target`` (rows count from the south, TMS).

    Raises
    ------
    ValueError
        If a coordinate is not a whole number in range, or the path would leave ``target``.
    """
    zoom = tile_number(z, what="zoom_level", below=MAX_ZOOM + 1)
    column = tile_number(x, what="tile_column", below=1 << zoom)
    y = (1 << zoom) - 1 - tile_number(row, what="tile_row", below=1 << zoom)
    root = target.resolve()
    tile = (root / str(zoom) / str(column) / f"{y}.{ext}").resolve()
    if not tile.is_relative_to(root):
        raise ValueError(f"an MBTiles tile would be written outside {root}")
    return tile


def prepare(path: Path) -> int:
    """Unpack an MBTiles file's tiles into :func:`local_folder` (once); return the tile count.

    MBTiles rows count from the south (TMS): ``y = 2**z - 1 - tile_row``. Every row's
    coordinates are checked first (whole numbers in range, the path inside the folder):
    a file with one bad row writes nothing.

    Raises
    ------
    ValueError
        If a row's coordinates are not tile numbers (:func:`tile_path`).
    """
    source = mbtiles_source(path)
    target = local_folder(path)
    done = target / ".complete"
    if done.exists():
        return int(done.read_text())
    ext = source.url.rsplit(".", 1)[1]
    count = 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        for z, x, row in conn.execute("SELECT zoom_level, tile_column, tile_row FROM tiles"):
            tile_path(target, z, x, row, ext)
        for z, x, row, data in conn.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
            tile = tile_path(target, z, x, row, ext)
            tile.parent.mkdir(parents=True, exist_ok=True)
            tile.write_bytes(bytes(data))
            count += 1
    done.write_text(str(count))
    return count


def tile_source(setting: str) -> TileSource | None:
    """Return the tiles a basemap setting names, or None for no tiles."""
    which = kind(setting)
    if which == "none":
        return None
    if which == "osm":
        return TileSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png", settings.OSM_ATTRIBUTION)
    if which == "url":
        return TileSource(setting.strip(), "")
    try:
        return mbtiles_source(Path(setting.strip()))
    except (OSError, sqlite3.Error, ValueError):  # missing or unreadable file: a map without tiles
        return None
