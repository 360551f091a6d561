"""Cannabis-risk zones and schools (issue 15): validation, the public view of 1.9.3, trends, distances."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.places import cannabis
from hotspots.places import service as places
from hotspots.places import schools
from hotspots.base import settings
from hotspots.base.errors import ImportFileError, ValidationError
from hotspots.plan.store import Store


def _square(unit: str, side_m: float, dx: float = 0.0) -> BaseGeometry:
    layer = cannabis.admin_units().to_crs(settings.CRS_METRIC).set_index("name")
    c = layer.geometry.loc[unit].representative_point()
    box = shapely.box(c.x + dx, c.y, c.x + dx + side_m, c.y + side_m)
    return gpd.GeoSeries([box], crs=settings.CRS_METRIC).to_crs(4326).iloc[0]


def _zones(store: Store, tmp_path: Path, features: list[dict[str, object]]) -> Path:
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _feature(geom: BaseGeometry, **props: object) -> dict[str, object]:
    return {"type": "Feature", "geometry": shapely.geometry.mapping(geom), "properties": props}


def test_the_public_sees_only_large_found_territories_generalised(store: Store, tmp_path: Path) -> None:
    big = _square("Shirgjan", 400)  # 16 ha
    small = _square("Shirgjan", 100, dx=1000)  # 1 ha: counted, not drawn
    assessed = _square("Gjinar", 400)  # risk only, nothing found: not public
    path = _zones(store, tmp_path, [
        _feature(big, risk="high", years="2021,2023", source="Policia e Shtetit, raport 2023", notes="pronari X"),
        _feature(small, risk="medium", years=[2022]),
        _feature(assessed, risk="low", years=""),
    ])
    assert [r["result"] for r in cannabis.import_zones(store, path, author="staff1")] == ["added"] * 3
    zones = cannabis.read_zones(store)
    assert zones["admin_unit"].tolist() == ["Shirgjan", "Shirgjan", "Gjinar"]
    view = cannabis.public_view(zones, min_area_ha=5)
    assert view.zones.columns.tolist() == ["admin_unit", "risk", "years", "area_ha", "geometry"]
    assert view.zones["area_ha"].tolist() == [16.0]
    assert view.hidden == 1
    assert view.per_unit.values.tolist() == [["Shirgjan", 2, "2021, 2022, 2023"]]
    drawn = gpd.GeoSeries(view.zones.geometry, crs=4326).to_crs(settings.CRS_METRIC).iloc[0]
    exact = gpd.GeoSeries([big], crs=4326).to_crs(settings.CRS_METRIC).iloc[0]
    assert drawn.contains(exact) and drawn.area > 1.5 * exact.area  # the plot cannot be read off it


def test_a_zone_file_with_one_bad_feature_stores_nothing(store: Store, tmp_path: Path) -> None:
    path = _zones(store, tmp_path, [_feature(_square("Shirgjan", 300), risk="high", years="2021"),
                                    _feature(_square("Gjinar", 300), risk="high", years="1890")])
    with pytest.raises(ImportFileError) as err:
        cannabis.import_zones(store, path, author="staff1")
    assert "1890" in err.value.message("en")
    assert cannabis.read_zones(store).empty
    with pytest.raises(ValidationError) as bad:
        cannabis.make_zone(geometry=_square("Shirgjan", 300), risk="high", admin_unit="Gjinar")
    assert bad.value.key == "err_zone_admin_unit"


def test_trends_per_admin_unit_use_the_exact_test_and_say_not_testable() -> None:
    rows = [("Shirgjan", "2019,2020,2021,2022,2023"), ("Shirgjan", "2020,2021,2022,2023"),
            ("Shirgjan", "2021,2022,2023"), ("Shirgjan", "2022,2023"), ("Shirgjan", "2023"),
            ("Gjinar", "2019"), ("Gjinar", "2023")]
    zones = gpd.GeoDataFrame({"admin_unit": [r[0] for r in rows], "years": [r[1] for r in rows]},
                             geometry=[None] * len(rows), crs=4326)
    table = cannabis.unit_trends(zones).set_index("admin_unit")
    assert table.loc["Shirgjan", "series"] == [1, 2, 3, 4, 5]
    assert table.loc["Shirgjan", "p_value"] == pytest.approx(0.0167, abs=1e-4)
    assert table.loc["Shirgjan", "label"] == "rising"
    assert table.loc["Gjinar", "series"] == [1, 0, 0, 0, 1]
    assert table.loc["Gjinar", "label"] == "not_testable"  # 5 values with ties: min p = 0.2
    short = cannabis.unit_trends(zones.assign(years=["2020,2021,2022,2023"] * len(rows)))
    assert set(short["label"]) == {"not_testable"}


def test_schools_seed_and_distance_to_the_nearest_hotspot(store: Store) -> None:
    loaded = places.ensure_seed(store)
    assert loaded == {"camera": 2, "school": 2}
    assert places.ensure_seed(store) == {}  # never twice
    table = schools.nearest_hotspots(schools.read_schools(store), store.hotspots(period="2022-H1"), period="2022-H1")
    assert len(table) == 2
    assert table["distance_m"].notna().all()
    # the first OSM school (41.11387, 20.08914) is ~240 m from the stadium-area hotspot
    assert table.iloc[0]["hotspot_id"] is not None
    assert table.iloc[0]["activities"] == "1.3.4,1.3.5,1.4.1,1.4.2,1.4.3"
    with pytest.raises(ValidationError) as err:
        schools.make_school(name="Shkolla 9-vjeçare", lat=41.11, lon=20.08, activities="1.3.9")
    assert err.value.key == "err_activity_unknown"
    assert schools.parse_activities("1.4") == ("1.4.1", "1.4.2", "1.4.3")


def test_a_pasted_zone_is_read_or_refused_plainly() -> None:
    import shapely

    from hotspots.places import cannabis
    from hotspots.base.errors import ValidationError

    square = cannabis.geometry_from_text(
        '{"type": "Polygon", "coordinates": [[[20, 41], [20.01, 41], [20.01, 41.01], [20, 41]]]}')
    assert square is not None and square.geom_type == "Polygon"
    old = shapely.Point(20, 41)
    assert cannabis.geometry_from_text("  ", old) is old
    with pytest.raises(ValidationError):
        cannabis.geometry_from_text("not json")
