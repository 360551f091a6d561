"""A made-up municipality, "Qyteza", with four named units, built from "official" files as staff would.

Nothing in it comes from Elbasan: its boundary, units, gazetteer, plan (problem numbers 4.x),
plan hotspots and incident offence problems are its own. The shipped harm weights (national,
by offence class) are the only file it shares. :func:`build` writes the folder through
``municipality create``'s library function, then adds what an administrator adds by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
import yaml

from hotspots.base import settings
from hotspots.plan import folders

#: The four units, named as the made-up plan writes them (west→east, south→north).
UNIT_NAMES: tuple[str, ...] = ("Qendra", "Lindja", "Perëndimi", "Veriu")
#: Numbers the folder gives them: named units are numbered in the order of their names.
UNIT_NUMBERS: dict[str, int] = {name: i for i, name in enumerate(sorted(UNIT_NAMES, key=str.casefold), start=1)}
#: The made-up plan's problems of the two hotspot categories, and of the other registers.
CRIME, STREET_CHILDREN = "4.2", "4.3"
REFERENCES = {"cameras": "4.1.1", "camera_coverage": "4.2.2", "schools": "4.1", "cannabis": "4.4.1",
              "cannabis_public": "4.4.2", "cannabis_all": "4.4.1–4.4.2"}
#: Texts that belong to Elbasan only: none may appear in any output of the made-up municipality.
ELBASAN_WORDS: tuple[str, ...] = ("Elbasan", "Lagjja nr", "Unit no.", "Nr. 1", "No. 1", "1–6", "1-6", "KVSP, 3",
                                  "Shkumbin", "Kala", "Emin Matraxhiu", "(1.7", "1.7.", "1.10", "1.3.1", "1.9.")
#: The box the municipality covers (lon/lat), somewhere no real town of the plan lies.
WEST, SOUTH, EAST, NORTH = 19.50, 40.50, 19.54, 40.54
_MID_X, _MID_Y = (WEST + EAST) / 2, (SOUTH + NORTH) / 2
#: A point inside each unit, by name.
INSIDE: dict[str, tuple[float, float]] = {  # lon, lat
    "Qendra": (WEST + 0.01, SOUTH + 0.01), "Lindja": (EAST - 0.01, SOUTH + 0.01),
    "Perëndimi": (WEST + 0.01, NORTH - 0.01), "Veriu": (EAST - 0.01, NORTH - 0.01)}

_PLAN = {
    "title": {"sq": "Plani vendor i sigurisë publike të Qytezës", "en": "Local public-safety plan of Qyteza"},
    "approved_by": {"sq": "Këshilli Vendor i Qytezës", "en": "Local Council of Qyteza"},
    "updated_at": "2025-03-10", "term_years": 3, "review_every_months": 6,
    "institutions": {"police": {"sq": "Komisariati i Qytezës", "en": "Qyteza police station"},
                     "town": {"sq": "Bashkia Qytezë", "en": "Qyteza town hall"}},
    "problems": [
        {"id": "4.1", "title": {"sq": "Siguria pranë shkollave", "en": "Safety near schools"}, "priority": "moderate",
         "figures": [], "institutions": ["police", "town"],
         "activities": [{"sq": "Kamera në hyrje të shkollave", "en": "Cameras at school gates"}]},
        {"id": "4.2", "title": {"sq": "Zonat e nxehta të krimit", "en": "Crime hot zones"}, "priority": "high",
         "category": "crime", "figures": [], "institutions": ["police", "town"],
         "activities": [{"sq": "Patrullim në zonat e nxehta", "en": "Patrols in the hot zones"},
                        {"sq": "Kamera në zonat e nxehta", "en": "Cameras in the hot zones"},
                        {"sq": "Ndjekja e lëvizjes së zonave", "en": "Following the zones' movement"}]},
        {"id": "4.3", "title": {"sq": "Fëmijët në rrugë", "en": "Children in the street"}, "priority": "high",
         "category": "street_children", "figures": [], "institutions": ["town"],
         "activities": [{"sq": "Punonjës social në terren", "en": "Social workers on the street"}]},
        {"id": "4.4", "title": {"sq": "Kultivimi i kanabisit", "en": "Cannabis cultivation"}, "priority": "low",
         "figures": [], "institutions": ["police"],
         "activities": [{"sq": "Harta e rrezikut", "en": "The risk map"},
                        {"sq": "Pamja publike", "en": "The public view"}]},
    ],
}
_PLACES = ("name,kind,lat,lon,aliases,confidence,source,licence\n"
           f"Sheshi i Qytezës,landmark,{SOUTH + 0.01},{WEST + 0.01},Sheshi,high,made-up test gazetteer,CC0\n"
           f"Tregu i Vjetër,landmark,{NORTH - 0.01},{EAST - 0.01},Tregu,high,made-up test gazetteer,CC0\n")


def _baseline() -> dict[str, Any]:
    """Return the plan's hotspots: two crime zones and one street-children spot, each in a unit."""
    rows = [("Q-4.2-01", "crime", CRIME, "Qendra", "Sheshi i Qytezës, pas tregut"),
            ("Q-4.2-02", "crime", CRIME, "Veriu", "Rruga e Pyllit, ura e vjetër"),
            ("Q-4.3-01", "street_children", STREET_CHILDREN, "Lindja", "Stacioni i autobusëve")]
    features = []
    for hid, category, problem, unit, name in rows:
        lon, lat = INSIDE[unit]
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {
            "id": hid, "category": category, "problem": problem, "plan_unit": UNIT_NUMBERS[unit], "name": name,
            "name_en": name, "period": "2025-H1", "status": "active", "location_quality": "landmark",
            "location_source": "made-up test gazetteer", "source": "Plani vendor i Qytezës"}})
    return {"type": "FeatureCollection", "features": features}


def _incidents_config() -> str:
    """Return the shipped offence classes, with this plan's problem numbers instead of Elbasan's."""
    text = settings.INCIDENTS_CONFIG_FILE.read_text(encoding="utf-8")
    for old, new in (('"1.7"', f'"{CRIME}"'), ('"1.10"', f'"{STREET_CHILDREN}"'), ('"1.5"', '"4.5"')):
        text = text.replace(f"problem: {old}", f"problem: {new}")
    return text.replace("EL-2023-0412", "QZ-2025-0001")


def incidents_csv() -> str:
    """Return a police export of 40 incidents in the four units over 2025 (drugs, theft, street children)."""
    lines = ["data;vepra;gjeresia;gjatesia;adresa;nr_ceshtjes"]
    names = list(INSIDE)
    offences = ["droge", "vjedhje", "femije ne rruge", "dhune"]
    for i in range(40):
        lon, lat = INSIDE[names[i % 4]]
        month = 1 + i % 12
        lines.append(f"{1 + i % 27:02d}.{month:02d}.2025;{offences[i % 4]};{lat + 0.0002 * (i % 5):.6f};"
                     f"{lon + 0.0002 * (i % 3):.6f};;QZ-2025-{i + 1:04d}")
    return "\n".join(lines) + "\n"


def build(tmp: Path, *, key: str = "qyteza", name: str = "Qyteza", db_schema: str | None = None,
          qark: str = "Qarku i Provës") -> Path:
    """Write the made-up municipality's folder under ``tmp`` and return it.

    ``key`` and ``name`` make a second one beside it (same units and plan hotspot ids);
    ``db_schema`` its PostgreSQL schema in a database shared with others.
    """
    tmp.mkdir(parents=True, exist_ok=True)
    boundary = tmp / "kufiri.geojson"
    gpd.GeoDataFrame({"emri": ["Qyteza"]}, geometry=[shapely.box(WEST, SOUTH, EAST, NORTH)],
                     crs="EPSG:4326").to_file(boundary)
    boxes = {"Qendra": shapely.box(WEST, SOUTH, _MID_X, _MID_Y), "Lindja": shapely.box(_MID_X, SOUTH, EAST, _MID_Y),
             "Perëndimi": shapely.box(WEST, _MID_Y, _MID_X, NORTH), "Veriu": shapely.box(_MID_X, _MID_Y, EAST, NORTH)}
    unit_file = tmp / "njesite.gpkg"
    gpd.GeoDataFrame({"EMRI": list(boxes)}, geometry=list(boxes.values()), crs="EPSG:4326").to_crs(
        "EPSG:32634").to_file(unit_file)
    (tmp / "plan.yaml").write_text(yaml.safe_dump(_PLAN, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (tmp / "vendet.csv").write_text(_PLACES, encoding="utf-8")
    folder = tmp / key
    missing = folders.create_folder(folder, boundary=boundary, units=unit_file, unit_field="EMRI", name=name,
                                    key=key, plan=tmp / "plan.yaml", gazetteer=tmp / "vendet.csv")
    assert missing == [], missing
    baseline = _baseline()
    for feature in baseline["features"]:
        feature["properties"]["name"] += f" ({name})"
    (folder / "baseline.geojson").write_text(json.dumps(baseline, ensure_ascii=False), encoding="utf-8")
    (folder / "incidents.yaml").write_text(_incidents_config(), encoding="utf-8")
    manifest = yaml.safe_load((folder / "municipality.yaml").read_text(encoding="utf-8"))
    manifest["files"] |= {"baseline": "baseline.geojson", "incidents": "incidents.yaml"}
    manifest |= {"references": REFERENCES, "qark": qark, **({"db_schema": db_schema} if db_schema else {}),
                 **({"name": {"sq": "Bashkia Qytezë", "en": "Municipality of Qyteza"}} if key == "qyteza" else {}),
                 "plan_citation": {"sq": "Këshilli Vendor, 10 mars 2025", "en": "Local Council, 10 Mar 2025"}}
    (folder / "municipality.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")
    return folder
