"""The map's own JavaScript: files under ``static/js/``, served with the app as Leaflet is.

The logic of the map's browser-side layers (hotspots, labels, legends, incident and Gi*
cells) lives in real ``.js`` files, checked by ``node --check`` and unit-tested with node
(``tests/js/``); the folium elements only call them with their JSON data. Each element
lists the files it needs in its ``default_js``, so folium and streamlit-folium load them
after Leaflet, like the vendor plugins. The URL carries a hash of the file's content, so a
browser never keeps an old copy after an upgrade.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from hotspots.base import settings


#: URL prefix of ``static/js`` (Streamlit serves ``static/`` at ``/app/static`` with
#: ``server.enableStaticServing``, see ``.streamlit/config.toml``).
JS_URL = "/app/static/js"
#: Folder of the map's scripts.
JS_DIR = settings.STATIC_DIR / "js"
#: The scripts, by the name folium gives their ``<script>`` link.
SCRIPTS: dict[str, str] = {
    "hs_html_text": "html-text.js",
    "hs_hotspot_layer": "hotspot-layer.js",
    "hs_map_controls": "map-controls.js",
    "hs_cell_layers": "cell-layers.js",
    "hs_coverage_layer": "coverage-layer.js",
}


@lru_cache(maxsize=None)
def _version(filename: str) -> str:
    return hashlib.sha256((JS_DIR / filename).read_bytes()).hexdigest()[:12]


def script(name: str) -> tuple[str, str]:
    """Return the ``default_js`` entry ``(name, url)`` of one of :data:`SCRIPTS`.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`SCRIPTS`.

    Examples
    --------
    >>> script("hs_hotspot_layer")[1].startswith("/app/static/js/hotspot-layer.js?v=")
    True
    """
    if name not in SCRIPTS:
        raise ValueError(f"unknown map script {name!r}; known: {', '.join(SCRIPTS)}")
    filename = SCRIPTS[name]
    return name, f"{JS_URL}/{filename}?v={_version(filename)}"
