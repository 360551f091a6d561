"""The basemap: none (offline default), OpenStreetMap, an internal tile server, or an MBTiles file.

One setting, ``HOTSPOTS_BASEMAP`` (see :func:`hotspots.settings.basemap`):

- ``none``: no tiles; the app's own boundaries, units and landmarks keep the map readable;
- ``osm``: OpenStreetMap's tiles (needs the internet);
- a tile URL template such as ``https://tiles.police.local/{z}/{x}/{y}.png`` (the police's or
  the municipality's own server);
- the path of an ``.mbtiles`` file (raster PNG/JPEG/WebP tiles): the app serves its tiles
  itself, unpacked once into ``static/basemap/`` (:func:`prepare`, run by ``hotspots.serve``).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from hotspots import settings

#: Tile formats an MBTiles file may hold that a browser can draw as images.
RASTER_FORMATS: dict[str, str] = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}
_TEMPLATE = re.compile(r"^https?://[^\s]+$")


@dataclass(frozen=True)
class TileSource:
    """Where a map's tiles come from: a URL template, its attribution and zoom range."""

    url: str
    attribution: str
    max_zoom: int = 19


def kind(setting: str) -> str:
    """Return what a basemap setting is: ``none``, ``osm``, ``url`` or ``mbtiles``.

    Raises
    ------
    ValueError
        If the setting is none of these (named, with what is allowed).

    Examples
    --------
    >>> kind("https://tiles.example.local/{z}/{x}/{y}.png"), kind("/srv/elbasan.mbtiles")
    ('url', 'mbtiles')
    """
    value = setting.strip()
    if value.lower() in ("", "none"):
        return "none"
    if value.lower() == "osm":
        return "osm"
    if _TEMPLATE.match(value) and all(part in value for part in ("{z}", "{x}", "{y}")):
        return "url"
    if value.lower().endswith(".mbtiles"):
        return "mbtiles"
    raise ValueError(f"HOTSPOTS_BASEMAP={setting!r} is not allowed; use none, osm, a tile URL template with "
                     "{z}, {x} and {y}, or the path of an .mbtiles file")


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


def prepare(path: Path) -> int:
    """Unpack an MBTiles file's tiles into :func:`local_folder` (once); return the tile count.

    MBTiles rows count from the south (TMS): ``y = 2**z - 1 - tile_row``.
    """
    source = mbtiles_source(path)
    target = local_folder(path)
    done = target / ".complete"
    if done.exists():
        return int(done.read_text())
    ext = source.url.rsplit(".", 1)[1]
    count = 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        for z, x, row, data in conn.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
            tile = target / str(z) / str(x) / f"{(1 << int(z)) - 1 - int(row)}.{ext}"
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
