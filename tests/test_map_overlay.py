"""The map page's overlay, sent apart from its map: the same overlay is the same script, run for real by node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import folium
import pytest
from tests.test_maps import HOSTILE

from hotspots.maps import builders as maps
from hotspots.maps import overlay as map_overlay
from hotspots.maps import payloads as map_payloads
from hotspots.plan import units
from hotspots.plan.plan import load_plan
from hotspots.plan.store import Store


#: A folium name keeps a random 32-hex id unless the overlay renames it.
RANDOM_ID = re.compile(r"_[0-9a-f]{32}\b")


def _overlay(store: Store, *, layers: tuple[str, ...] = ("hotspots", "units"),
             place: tuple[float, float, str] | None = None, unit_counts: dict[int, int] | None = None,
             ) -> folium.FeatureGroup:
    payload = map_payloads.hotspot_payload(store.hotspots(period="2022-H1"), lang="en")
    return maps.hotspot_overlay(payload, plan=load_plan(), priorities={}, lang="en", units=units.load_units(),
                                unit_counts=unit_counts or {1: 2}, layers=layers, place=place)


def _base(layers: tuple[str, ...] = ("hotspots", "units")) -> folium.Map:
    return maps.hotspot_base(lang="en", units=units.load_units(), approximate_units=True,
                             municipality=units.municipality(), city=units.city_unit(), layers=layers)


def test_the_same_overlay_is_the_same_script_byte_for_byte(store: Store) -> None:
    first = map_overlay.overlay_script(_overlay(store))
    again = map_overlay.overlay_script(_overlay(store))
    assert first == again
    assert not RANDOM_ID.search(first)
    assert first.startswith(f"var {map_overlay.OVERLAY_LAYER} = L.featureGroup(")
    assert first.endswith(f"{map_overlay.OVERLAY_LAYER}.addTo(map_div);")
    other = map_overlay.overlay_script(_overlay(store, unit_counts={1: 3}))  # another count: another script
    assert other != first


def test_the_map_hosts_the_overlay_and_loads_its_scripts_but_does_not_carry_it(store: Store) -> None:
    fmap = _base(("hotspots", "units", "heat"))
    spec = map_overlay.attach_overlay(fmap, _overlay(store, layers=("hotspots", "units", "heat")), host="hotspot_map")
    page = fmap.get_root().render()
    assert 'window.hsOverlayHost = "hotspot_map";' in page
    assert "/app/static/js/hotspot-layer.js?v=" in page and "leaflet-heat" in page  # loaded with the map
    assert "HotspotLayer.add(" not in page and "HotspotLayer.add(" in spec["script"]  # drawn by the overlay only
    assert spec["layer"] == map_overlay.OVERLAY_LAYER and spec["host"] == "hotspot_map"
    again = map_overlay.attach_overlay(_base(), _overlay(store, layers=("hotspots", "units", "heat")), host="hotspot_map")
    assert len(spec["digest"]) == 16 and again["digest"] == spec["digest"]  # the digest is the overlay's alone


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: `make install-test` installs Debian's nodejs")
    return node


#: Runs an overlay script (stdin) with Leaflet stubbed: prints what reached the map as JSON.
RUN_OVERLAY = r"""
const script = require('fs').readFileSync(0, 'utf8');
const seen = {tooltips: [], added: [], alerts: 0, fits: []};
const layer = (kind) => ({kind, addTo(target) { seen.added.push([kind, target === map_div ? 'map' : 'group']); return this; },
                          bindTooltip(text) { seen.tooltips.push(text); return this; }});
global.alert = () => { seen.alerts += 1; };
global.L = {featureGroup: () => layer('group'), circleMarker: () => layer('marker')};
global.map_div = {fitBounds: (b) => seen.fits.push(b), setView: (c, z) => seen.fits.push([c, z])};
global.HotspotLayer = {add: () => { seen.hotspots = true; }};
global.MapControls = {shadeUnits: () => { seen.shaded = true; }};
(0, eval)(script);
console.log(JSON.stringify(seen));
"""


def _run_overlay(script: str) -> dict[str, Any]:
    result = subprocess.run([_node(), "-e", RUN_OVERLAY], input=script, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    seen: dict[str, Any] = json.loads(result.stdout)
    return seen


def test_the_overlay_runs_and_a_hostile_place_name_stays_text(store: Store) -> None:
    spec = map_overlay.attach_overlay(_base(), _overlay(store, place=(41.11, 20.08, HOSTILE)), host="hotspot_map")
    seen = _run_overlay(spec["script"])
    assert seen["alerts"] == 0 and seen["hotspots"] and seen["shaded"]
    assert ["group", "map"] in seen["added"] and ["marker", "group"] in seen["added"]
    assert seen["fits"] == [[[41.11, 20.08], 17]]  # the map opens on the found place
    (tooltip,) = seen["tooltips"]
    assert "<img" not in tooltip and "<script>" not in tooltip and "`" not in tooltip
    assert "&lt;img src=x onerror=alert(1)&gt; &#96;tick&#96;" in tooltip

