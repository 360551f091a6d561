"""Rebuild the derived files of geodata/: the approximate unit layer and the baseline.

Run from the repository root: ``.venv/bin/python scripts/build_geodata.py``. The output is
committed; this script documents how it was made. Every coordinate comes from
geodata/places.csv (with its source) or geodata/unit_anchors.yaml.
"""

from __future__ import annotations

import json

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.plan import units

PERIOD = "2022-H1"

# id, category, problem, plan unit, name as the plan writes it, English, geometry recipe,
# location quality, source of the location.
STADIUM = (20.091992, 41.115875)
STATION = (20.0747, 41.1050)
CASTLE = (20.080, 41.113)
ST_MARY = (20.0804, 41.1155)
UNIVERSITY = (20.0793386, 41.1220549)
BOULEVARD = [STADIUM, (20.0882503, 41.1148913), (20.0778431, 41.110415)]

BASELINE = [
    ("H-1.7-01", "crime", "1.7", 1,
     'Në lagjen "Emin Matraxhiu" Rruga "Borodin Mitarja" pranë piceri Jurevi, parku i lojërave midis 2 pallateve',
     "Emin Matraxhiu quarter, Borodin Mitarja street near pizzeria Jurevi: the playground between two apartment blocks",
     None, "unlocated", "no public source locates Rr. Borodin Mitarja or pizzeria Jurevi"),
    ("H-1.7-02", "crime", "1.7", 1,
     'Lagja "Emin Matraxhiu" Rruga "Besim Qorri" prapa stadiumit e prapa pishinës së vjetër',
     "Emin Matraxhiu quarter, Besim Qorri street, behind the stadium and the old swimming pool",
     ("point", STADIUM), "landmark",
     "anchored on Elbasan Arena (stadium), Wikipedia 'Elbasan Arena' 41.115875, 20.091992; "
     "the street and the pool are not located"),
    ("H-1.7-03", "crime", "1.7", 1,
     'Lagja "Emin Matraxhiu" në Krastë pranë pompave të ujit të pijshëm në fund të asfaltit',
     "Emin Matraxhiu quarter, in Krastë near the drinking-water pumps where the asphalt ends",
     None, "unlocated", "Krastë = the hills on the city's east side; the pumps are not located"),
    ("H-1.7-04", "crime", "1.7", 3, "Tek stacioni i trenit", "At the train station",
     ("point", STATION), "exact", "Wikipedia 'Elbasan railway station' 41.1050, 20.0747"),
    ("H-1.7-05", "crime", "1.7", 4, 'Lagja "Kala" tek ish shkolla "Ahmet Dakli"',
     'Kala quarter, at the former school "Ahmet Dakli"',
     ("zone", CASTLE, 200), "approximate",
     "zone of 200 m around Elbasan Castle (Wikipedia 41.113, 20.080); the school itself is not located"),
    ("H-1.7-06", "crime", "1.7", 4, 'Lagja "Partizani" pranë sheshit të Saraçëve',
     "Partizani quarter, near the Saraçëve square", None, "unlocated",
     "no public source locates Sheshi i Saraçëve or the Partizani quarter"),
    ("H-1.7-07", "crime", "1.7", 6, 'Rruga "Mustafa Demiri" tek qendra shëndetësore',
     "Mustafa Demiri street, at the health centre", None, "unlocated", "no public source found"),
    ("H-1.7-08", "crime", "1.7", 6, 'Rruga "Buharedin Mitarja" tek ura (poshtë urës)',
     "Buharedin Mitarja street, at (under) the bridge", None, "unlocated", "no public source found"),
    ("H-1.7-09", "crime", "1.7", 6, 'Tek parku "Rinia" pjesa e betoneve nëntoke',
     "Rinia park, the underground concrete part", None, "unlocated",
     "the park exists (press 2018-2019) but no coordinates were found"),
    ("H-1.10-01", "street_children", "1.10", None, "Kryqëzimi pranë “Konstantin Kristoforidhit”",
     "The crossroads near “Konstantin Kristoforidhi”", ("point", ST_MARY), "approximate",
     "ambiguous target: St Mary's Church (Wikipedia 41.1155, 20.0804), beside Kristoforidhi's grave and former school; "
     "the crossroads itself is not located"),
    ("H-1.10-02", "street_children", "1.10", None,
     "Zona nga Stadiumi, Bulevardi kryesor deri në fillim të fushës së Loparit",
     "From the stadium along the main boulevard to the start of the Lopar field",
     ("line", BOULEVARD), "approximate",
     "stadium (Wikipedia) -> Bulevardi Qemal Stafa vertices (third-party address 41.11489, 20.08825; OSM node 12453469602); "
     "the Lopar field end is not located"),
    ("H-1.10-03", "street_children", "1.10", None, "Zona pranë Universitetit “Aleksandër Xhuvani”",
     "Near the “Aleksandër Xhuvani” University", ("zone", UNIVERSITY, 150), "landmark",
     "zone of 150 m around the university, de.wikipedia 'Universität Elbasan' 41.12206, 20.07934"),
    ("H-1.10-04", "street_children", "1.10", None, "Zona pranë kolaudimit të mjeteve",
     "Near the vehicle-inspection centre", None, "unlocated",
     "no public source locates the vehicle-inspection centre"),
    ("H-1.10-05", "street_children", "1.10", None, "Rruga Ibrahim Dinçi", "Ibrahim Dinçi street",
     None, "unlocated", "no public source found"),
]


def geometry(recipe: tuple | None) -> BaseGeometry | None:
    """Build a WGS84 geometry from a recipe: a point, a line, or a zone around a point."""
    if recipe is None:
        return None
    kind = recipe[0]
    if kind == "point":
        return shapely.Point(recipe[1])
    if kind == "line":
        return shapely.LineString(recipe[1])
    centre = gpd.GeoSeries([shapely.Point(recipe[1])], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC)
    zone = centre.buffer(recipe[2], quad_segs=8).to_crs(settings.CRS_STORE).iloc[0]
    return shapely.set_precision(zone, 1e-7)


def build_baseline() -> dict:
    """Return the baseline hotspots as a GeoJSON FeatureCollection."""
    features = []
    for hid, cat, prob, unit, name, name_en, recipe, quality, source in BASELINE:
        geom = geometry(recipe)
        features.append({
            "type": "Feature",
            "properties": {
                "id": hid, "category": cat, "problem": prob, "plan_unit": unit,
                "name": name, "name_en": name_en, "period": PERIOD, "status": "active",
                "location_quality": quality, "location_source": source,
                "source": "Plan, KVSP 3 Feb 2022 (problem %s)" % prob,
            },
            "geometry": None if geom is None else shapely.geometry.mapping(geom),
        })
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    """Write geodata/units.geojson and geodata/baseline_hotspots.geojson."""
    layer = units.build_approximate_units(units.city_unit(), units.read_anchors())
    units.write_units(layer, settings.UNITS_FILE)  # the shipped approximation (geodata/)
    with open(settings.BASELINE_FILE, "w", encoding="utf-8") as fh:
        json.dump(build_baseline(), fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    write_example_series()




# -- example series (training / demonstration only) ----------------------------------
EXAMPLE_NOTE = "EXAMPLE DATA, invented for training: not a real hotspot"


def _offset(lonlat: tuple[float, float], metres: float, bearing: float) -> tuple[float, float]:
    """Return the point ``metres`` away from ``lonlat`` towards ``bearing`` (via UTM 34N)."""
    import math

    pt = gpd.GeoSeries([shapely.Point(lonlat)], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    moved = shapely.Point(pt.x + metres * math.sin(math.radians(bearing)), pt.y + metres * math.cos(math.radians(bearing)))
    out = gpd.GeoSeries([moved], crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE).iloc[0]
    return (round(out.x, 7), round(out.y, 7))


def build_example_series() -> dict:
    """Return an invented series of the six review periods, clearly marked as example data."""
    base = {f["properties"]["id"]: f for f in build_baseline()["features"]}
    periods = ["2022-H1", "2022-H2", "2023-H1", "2023-H2", "2024-H1", "2024-H2"]
    stadium_moved = _offset(STADIUM, 350, 45)          # 350 m NE
    west_new = (20.0600, 41.1110)                      # unit 5
    west_moved = _offset(west_new, 400, 270)           # 400 m W
    split_new = _offset(STATION, 200, 90)              # 200 m E of the station
    merged = _offset(STATION, 100, 90)
    rinia = (20.0720, 41.1240)                         # invented place in unit 6
    rinia_moved = _offset(rinia, 300, 135)
    # id -> period -> (status, geometry recipe or None for the baseline shape)
    plan: dict[str, dict[str, tuple[str, object]]] = {
        "EX-1.7-02": {"2022-H1": ("active", None), "2022-H2": ("active", ("point", stadium_moved)),
                      "2023-H1": ("active", ("point", stadium_moved)), "2023-H2": ("resolved", ("point", stadium_moved))},
        "EX-1.7-04": {p: ("active", None) for p in periods[:3]} | {"2023-H2": ("active", ("point", merged)),
                      "2024-H1": ("active", ("point", merged)), "2024-H2": ("active", ("point", merged))},
        "EX-1.7-05": {p: ("active", None) for p in periods[:4]} | {"2024-H1": ("resolved", None)},
        "EX-1.7-09": {"2022-H1": ("active", "unlocated"), "2022-H2": ("active", ("point", rinia)),
                      "2023-H1": ("active", ("point", rinia)), "2023-H2": ("active", ("point", rinia_moved)),
                      "2024-H1": ("active", ("point", rinia_moved)), "2024-H2": ("active", ("point", rinia_moved))},
        "EX-1.10-01": {p: ("active", None) for p in periods},
        "EX-1.10-02": {p: ("active", None) for p in periods},
        "EX-1.10-03": {"2022-H1": ("active", None), "2022-H2": ("resolved", None), "2024-H1": ("active", None),
                       "2024-H2": ("active", None)},
        "EX-1.7-10": {"2022-H2": ("active", ("point", west_new)), "2023-H1": ("active", ("point", west_new)),
                      "2023-H2": ("active", ("point", west_new)), "2024-H1": ("active", ("point", west_moved)),
                      "2024-H2": ("active", ("point", west_moved))},
        "EX-1.7-11": {"2023-H1": ("active", ("point", split_new)), "2023-H2": ("resolved", ("point", split_new))},
        "EX-1.10-06": {"2024-H2": ("active", ("point", _offset(UNIVERSITY, 250, 200)))},
    }
    names = {"EX-1.7-10": ("Shembull: lagjja perëndimore, pranë tregut", "Example: western quarter, near the market"),
             "EX-1.7-11": ("Shembull: pas stacionit të trenit", "Example: behind the train station"),
             "EX-1.10-06": ("Shembull: kryqëzimi në jug të universitetit", "Example: crossroads south of the university")}
    features = []
    for hid, by_period in plan.items():
        source_id = hid.replace("EX-", "H-")
        props0 = base[source_id]["properties"] if source_id in base else None
        for period, (status, recipe) in by_period.items():
            if recipe is None and props0 is not None:
                geometry = base[source_id]["geometry"]
            elif recipe == "unlocated":
                geometry = None
            else:
                geometry = shapely.geometry.mapping(geometry_of(recipe))
            name, name_en = (props0["name"], props0["name_en"]) if props0 else names[hid]
            category = props0["category"] if props0 else ("crime" if "1.7-" in hid else "street_children")
            quality = ("unlocated" if geometry is None
                       else (props0["location_quality"] if (props0 and recipe is None) else "approximate"))
            features.append({"type": "Feature", "geometry": geometry, "properties": {
                "id": hid, "name": name, "name_en": name_en, "category": category,
                "problem": "1.7" if category == "crime" else "1.10", "plan_unit": props0["plan_unit"] if props0 else None,
                "period": period, "status": status, "location_quality": quality,
                "location_source": EXAMPLE_NOTE, "notes": EXAMPLE_NOTE,
            }})
    return {"type": "FeatureCollection", "note": EXAMPLE_NOTE, "features": features}


def geometry_of(recipe: tuple) -> BaseGeometry:
    """Build a geometry from a recipe of :func:`build_example_series`."""
    return geometry(recipe)


def write_example_series() -> None:
    """Write geodata/example_series.geojson."""
    with open(settings.EXAMPLE_SERIES_FILE, "w", encoding="utf-8") as fh:
        json.dump(build_example_series(), fh, ensure_ascii=False, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
