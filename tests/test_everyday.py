"""Issue 9, pure parts: history in words, plurals, translated CSV headers, decimal commas, names."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import pytest
import shapely

from hotspots.plan import editing
from hotspots.plan import exchange
from hotspots.plan import model
from hotspots.plan import views
from hotspots.base.errors import ValidationError
from hotspots.base.i18n import tn
from hotspots.plan.store import Store


def test_csv_headers_follow_the_language_and_read_back(store: Store, tmp_path: Path) -> None:
    gdf = store.hotspots(period="2022-H1")
    sq = exchange.export_bytes(gdf, "csv", lang="sq")
    header = sq.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("ID,Emri (si në plan),Emri në anglisht,Kategoria") and "Gjeometria (WKT)" in header
    assert exchange.export_bytes(gdf, "csv").decode("utf-8").startswith("id,name,name_en,category")  # CLI: stable keys
    assert '"id"' in exchange.export_bytes(gdf, "geojson").decode("utf-8")  # GeoJSON keeps its keys
    path = tmp_path / "hotspote.csv"
    path.write_bytes(sq)
    records = exchange.read_features(path)
    assert len(records) == len(gdf) and {r.hotspot_id for r in records} == set(gdf["id"])


@pytest.mark.parametrize(("n", "lang", "text"), [
    (1, "sq", "1 hotspot në pamje, 1 në hartë"), (2, "sq", "2 hotspote në pamje, 1 në hartë"),
    (0, "en", "0 hotspots in view, 1 on the map"), (1, "en", "1 hotspot in view, 1 on the map"),
])
def test_plural_forms(n: int, lang: str, text: str) -> None:
    assert tn("shown_on_map", n, lang, located=1) == text


def test_decimal_commas_are_numbers_and_a_missing_point_is_named() -> None:
    assert model.check_lat_lon("41,1125", " 20,0822") == (41.1125, 20.0822)
    with pytest.raises(ValidationError) as err:
        model.check_lat_lon("41,1,2", "20")
    assert err.value.key == "err_coord_number"
    from hotspots.plan import editing

    with pytest.raises(ValidationError) as missing:
        editing.point(None, None)
    assert missing.value.message("en").startswith("Choose a point first")


def test_history_in_words_in_both_languages(store: Store) -> None:
    editing.record_review(store, "H-1.7-04", "2022-H2", outcome="resolved", version=None, author="ana")
    for lang, words in (("en", "Status: active"), ("sq", "Statusi: aktiv")):
        table = views.history_table(store.history(entity_id="H-1.7-04"), lang)
        text = table.to_string()
        assert words in text and "{" not in text and "None" not in text


def test_tables_show_english_names_in_english(store: Store) -> None:
    gdf = store.hotspots(ids=["H-1.7-04"])
    assert views.display_table(gdf, "en").iloc[0, 1] == "At the train station"
    assert views.display_table(gdf, "sq").iloc[0, 1] == "Tek stacioni i trenit"
    assert "—" in set(views.display_table(gdf, "en", columns=["id", "notes"]).iloc[0])  # never "None"


def test_export_names_carry_every_filter() -> None:
    filters = views.Filters("2024-H2", categories=("street_children",), units=(1,), priorities=("high", "low"))
    assert views.export_name(filters, lang="sq") == "hotspote_2024-H2_street_children_njesite-1_prioriteti-high-low"


def test_a_hotspot_table_with_and_without_units_goes_to_the_browser_as_it_is() -> None:
    # Streamlit sends a table as Arrow: a column of numbers and "—" could not be converted
    # (it logged a traceback and converted it itself on every run); every cell is text now
    gdf = gpd.GeoDataFrame({"id": ["A", "B"], "name": ["a", "b"], "category": ["crime", "crime"], "unit": [3.0, None],
                            "status": ["active", "active"], "location_quality": ["exact", "unlocated"]},
                           geometry=[shapely.Point(20.08, 41.11), None], crs="EPSG:4326")
    table = views.display_table(gdf, "en")
    assert list(table["Unit"]) == ["3", "—"]
    assert pa.Table.from_pandas(table).num_rows == 2
