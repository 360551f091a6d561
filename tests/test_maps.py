"""Map builders, tested on their rendered HTML (no browser)."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
import shapely

from hotspots.maps import builders as maps
from hotspots.maps import payloads as map_payloads
from hotspots.maps import styles as map_styles
from hotspots.plan import units, views
from hotspots.plan.plan import load_plan
from hotspots.plan.store import Store


HOSTILE = "<img src=x onerror=alert(1)> `tick` \\back\\ \"dq\" 'sq' </script><script>alert(2)</script>"


def _render(store: Store, *, layers=("hotspots", "units"), lang="sq", example=False,
            extra: gpd.GeoDataFrame | None = None) -> str:
    plan = load_plan()
    gdf = store.hotspots(period="2022-H1") if extra is None else extra
    filters = views.Filters(period="2022-H1", layers=tuple(layers))
    prios = views.priorities_in_period(plan, store.priorities(), "2022-H1")
    payload = map_payloads.hotspot_payload(views.apply_filters(gdf, filters, prios))
    m = maps.hotspot_map(payload, plan=plan, priorities=prios, lang=lang, units=units.load_units(),
                         unit_counts=views.active_counts_per_unit(gdf, category="crime"), approximate_units=True,
                         municipality=units.municipality(), city=units.city_unit(), layers=layers,
                         example_data=example)
    return m.get_root().render()


def _payload_from_html(html: str) -> dict:
    match = re.search(r"var D = (\{.*?\}), P = ", html)
    assert match
    return json.loads(match.group(1))


def test_map_holds_the_located_baseline_hotspots_in_one_layer(store: Store) -> None:
    html = _render(store)
    payload = _payload_from_html(html)
    assert len(payload["id"]) == 6  # the 8 unlocated hotspots are listed, not drawn
    kinds = sorted(["Point"] * (6 - len(payload["shapes"])) + [s[1] for s in payload["shapes"]])
    assert kinds == ["LineString", "Point", "Point", "Point", "Polygon", "Polygon"]
    # one call of the hotspot layer's script and one label layer; no marker per hotspot
    assert html.count("HotspotLayer.add(") == 1 and html.count("MapControls.labels(") == 1
    assert "L.marker(" not in html and "circleMarker(" not in html
    assert "Tek stacioni i trenit" in set(payload["name"])  # the plan's words, verbatim


def test_map_uses_only_assets_served_by_the_app(store: Store) -> None:
    html = _render(store, layers=("hotspots", "units", "heat", "cluster"))
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith(("/app/static/vendor/", "/app/static/js/")) for u in urls), urls
    assert "leaflet-heat.js" in html and "leaflet.markercluster.js" in html
    # the map's own scripts come after Leaflet and the plugins, each file once, versioned by its content
    ours = [u for u in urls if u.startswith("/app/static/js/")]
    files = [u.split("?")[0].rsplit("/", 1)[1] for u in ours]
    assert sorted(files) == ["hotspot-layer.js", "html-text.js", "map-controls.js"]
    assert files.index("html-text.js") < files.index("hotspot-layer.js")  # the layer's esc() is html-text's
    assert all(re.fullmatch(r"[^?]+\?v=[0-9a-f]{12}", u) for u in ours), ours
    assert urls.index(ours[0]) > urls.index("/app/static/vendor/leaflet/leaflet.js")
    assert "cdn." not in html and "https://" not in html.replace("https://www.openstreetmap", "")


def test_legend_notes_and_attribution(store: Store) -> None:
    html = _render(store, lang="en", example=True)
    assert "Legend" in html and "Street children (1.10)" in html and "Active hotspots in unit" in html
    assert "Unit boundaries are approximate" in html
    assert "EXAMPLE DATA" in html
    assert "© OpenStreetMap contributors, ODbL" in html
    sq = _render(store, lang="sq")
    assert "Legjenda" in sq and "Kufijtë e njësive janë të përafërt" in sq


def test_unit_shading_follows_the_counts() -> None:
    assert map_styles.unit_colour(0) == map_styles.UNIT_CLASSES[0][1]
    assert map_styles.unit_colour(1) == map_styles.UNIT_CLASSES[1][1]
    assert map_styles.unit_colour(7) == map_styles.UNIT_CLASSES[-1][1]


def test_hostile_text_never_reaches_the_html_raw(store: Store) -> None:
    gdf = store.hotspots(period="2022-H1").copy()
    gdf.loc[gdf["id"] == "H-1.7-04", "name"] = HOSTILE
    gdf.loc[gdf["id"] == "H-1.7-04", "location_source"] = HOSTILE
    html = _render(store, extra=gdf)
    assert "<img src=x" not in html
    assert "</script><script>alert(2)" not in html
    payload = _payload_from_html(html)
    assert HOSTILE in payload["name"]  # carried verbatim, as data
    assert "HotspotLayer.add(" in html  # whose popups and tooltips escape every text (tests/js/)


@pytest.mark.parametrize("text", [HOSTILE, "\u2028", "a&b"])
def test_js_json_round_trips_and_is_script_safe(text: str) -> None:
    encoded = map_styles.js_json({"t": text})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded)["t"] == text


def test_layers_can_be_switched_off(store: Store) -> None:
    html = _render(store, layers=("hotspots",))
    assert "Nr. 4" not in html  # no unit labels
    assert '"units"' not in html
    no_points = _render(store, layers=("units",))
    assert '"hotspots":false' in no_points


def test_payload_is_compact() -> None:
    points = gpd.GeoDataFrame(
        {"id": ["H-1"], "name": ["x"], "category": ["crime"], "location_quality": ["exact"], "status": ["active"],
         "unit": [3], "problem": ["1.7"], "location_source": ["s"], "period": ["2022-H1"]},
        geometry=[shapely.Point(20.123456789, 41.987654321)], crs="EPSG:4326")
    payload = map_payloads.hotspot_payload(points)
    assert payload["xy"] == [20.123457, 41.987654] and payload["unit"] == [3] and payload["shapes"] == []


def test_payload_keeps_streets_and_zones_and_skips_unlocated(store: Store) -> None:
    gdf = store.hotspots(period="2022-H1")
    payload = map_payloads.hotspot_payload(gdf)
    by_id = dict(zip(payload["id"], range(len(payload["id"])), strict=True))
    zone = next(s for s in payload["shapes"] if payload["id"][s[0]] == "H-1.7-05")
    assert zone[1] == "Polygon" and len(zone[2][0]) > 3
    assert "H-1.7-01" not in by_id  # unlocated: listed on the page, not drawn
    row = by_id["H-1.7-04"]  # the train station: an exact point in unit 3
    assert payload["unit"][row] == 3 and payload["q"][row] == map_styles.QUALITY_CODES["exact"]
    assert payload["periods"][payload["period"][row]] == "2022-H1"


def test_one_style_for_every_geometry_and_the_legend() -> None:
    approx = map_styles.hotspot_style("crime", "approximate", "active")
    exact = map_styles.hotspot_style("street_children", "exact", "active")
    faded = map_styles.hotspot_style("crime", "exact", "resolved")
    assert approx["color"] == map_styles.CATEGORY_COLOURS["crime"] and approx["dashArray"] == map_styles.APPROX_DASH
    assert exact["color"] == map_styles.CATEGORY_COLOURS["street_children"] and exact["dashArray"] is None
    assert approx["fillOpacity"] < exact["fillOpacity"] and faded["opacity"] < exact["opacity"]
    table = map_styles.style_table()
    codes = map_styles.CATEGORY_CODES["crime"], map_styles.QUALITY_CODES["approximate"], map_styles.STATUS_CODES["active"]
    assert table[codes[0]][codes[1]][codes[2]] == approx
    legend = map_styles.legend_html("en", show_units=False)
    assert f'stroke-dasharray="{map_styles.APPROX_DASH}"' in legend and map_styles.CATEGORY_COLOURS["crime"] in legend


def test_template_syntax_in_a_name_is_never_evaluated(store: Store) -> None:
    gdf = store.hotspots(period="2022-H1").copy()
    gdf.loc[gdf["id"] == "H-1.7-04", "name"] = "x{{ 7*7 }}y{% if 1 %}z{% endif %}"
    html = _render(store, extra=gdf)
    assert "x49y" not in html and "yz" not in html
    assert _payload_from_html(html)["name"].count("x{{ 7*7 }}y{% if 1 %}z{% endif %}") == 1


def test_a_unit_filter_opens_the_map_on_that_unit(store: Store) -> None:
    layer = units.load_units()
    bounds = views.focus_bounds(layer, [6])
    assert bounds is not None and views.focus_bounds(layer, []) is None
    plan = load_plan()
    m = maps.hotspot_map(map_payloads.hotspot_payload(store.hotspots(period="2022-H1")), plan=plan, priorities={}, lang="en",
                         units=layer, unit_counts={}, approximate_units=True, municipality=units.municipality(),
                         city=units.city_unit(), focus=bounds)
    html = m.get_root().render()
    minx, miny, maxx, maxy = bounds
    assert f"[[{miny}, {minx}], [{maxy}, {maxx}]]" in html


def test_landmarks_give_street_context_in_the_chosen_language() -> None:
    frame = units.load_landmarks()
    assert len(frame) > 50 and {"place_of_worship", "school", "bus_station"} <= set(frame["kind"])
    labels_en = map_payloads.landmark_labels(frame, "en")
    labels_sq = map_payloads.landmark_labels(frame, "sq")
    assert "school" in {x[2] for x in labels_en} and "shkollë" in {x[2] for x in labels_sq}  # unnamed: the kind
    konad = frame.index[frame["name"] == "Konad"][0]
    assert labels_sq[frame.index.get_loc(konad)][2] == "Konad" and labels_en[frame.index.get_loc(konad)][2] == "Conad"
    html = maps.new_map()
    maps.add_landmarks(html, "en")
    assert "hs-landmark-label" in html.get_root().render()
