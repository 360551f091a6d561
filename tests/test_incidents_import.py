"""Incident import: personal-data refusal, encodings, separators, formats, all or nothing, idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotspots.base.errors import ImportFileError
from hotspots.incidents import importing, table
from hotspots.incidents.reading import PersonalDataError
from hotspots.plan.store import Store

from .conftest import file_digest

# Three places inside the city (the castle, the King Mosque, the centre), one in Tirana.
KALA = (41.1130, 20.0800)
TIRANA = (41.3275, 19.8187)
AL_HEADER = "data;vepra;gjeresia;gjatesia;adresa;nr_ceshtjes"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture()
def any_store(backend_url: str) -> Store:
    """Return a fresh store on each backend (SQLite file, PostGIS database): every test here runs on both."""
    s = Store(backend_url)
    s.init(author="test")
    return s


def db_digest(store: Store) -> str:
    """Return what must not change: the SQLite file byte for byte, or every PostGIS table's rows."""
    if store.url.startswith("sqlite"):
        store.dispose()
        wal = Path(str(store.url.removeprefix("sqlite:///")) + "-wal")
        main = file_digest(Path(store.url.removeprefix("sqlite:///")))
        return main + (file_digest(wal) if wal.exists() else "")
    import hashlib

    import sqlalchemy as sa

    engine = sa.create_engine(store.url)
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for name in sorted(sa.inspect(conn).get_table_names()):
            rows = conn.execute(sa.text(f'SELECT * FROM "{name}" ORDER BY 1')).all()
            digest.update(f"{name}:{sorted(map(repr, rows))}".encode())
    engine.dispose()
    return digest.hexdigest()


@pytest.mark.parametrize("columns", [
    "data;vepra;gjeresia;gjatesia;Emri;Mbiemri",
    "date,offence,lat,lon,Atësia",
    "date,offence,lat,lon,DATE OF BIRTH",
    "date,offence,lat,lon,Nr. Personal",
    "date,offence,lat,lon,Telefoni",
])
def test_a_file_with_personal_columns_is_refused_and_the_db_is_unchanged(tmp_path: Path, any_store: Store, columns: str) -> None:
    store = any_store
    sep = ";" if ";" in columns else ","
    n = columns.count(sep) + 1
    body = sep.join(["2023-05-17", "drugs", str(KALA[0]), str(KALA[1])] + ["x"] * (n - 4))
    f = write(tmp_path / "cases.csv", columns + "\n" + body + "\n")
    before = db_digest(store)
    with pytest.raises(PersonalDataError) as err:
        importing.import_file(store, f, author="t")
    message = err.value.message("en")
    personal = columns.split(sep)[4:]
    assert all(f"“{c}”" in message for c in personal), message
    assert "people" in message and "“data”" not in message
    assert db_digest(store) == before


def test_personal_columns_in_geojson_and_xlsx_are_refused_before_rows(tmp_path: Path, any_store: Store) -> None:
    store = any_store
    import openpyxl

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [KALA[1], KALA[0]]},
         "properties": {"date": "2023-05-17", "offence": "drugs", "surname": "X"}}]}
    gj = write(tmp_path / "c.geojson", json.dumps(doc))
    book = openpyxl.Workbook()
    book.active.append(["data", "vepra", "gjeresia", "gjatesia", "emri"])
    book.active.append(["17.05.2023", "droge", KALA[0], KALA[1], "X"])
    book.save(tmp_path / "c.xlsx")
    before = db_digest(store)
    for f, column in ((gj, "surname"), (tmp_path / "c.xlsx", "emri")):
        with pytest.raises(PersonalDataError, match=column):
            importing.import_file(store, f, author="t")
    assert db_digest(store) == before


@pytest.mark.parametrize(("encoding", "sep"), [("utf-8", ";"), ("utf-8", ","), ("cp1250", ";"), ("cp1252", ",")])
def test_both_encodings_and_both_separators(tmp_path: Path, any_store: Store, encoding: str, sep: str) -> None:
    store = any_store
    header = AL_HEADER.replace(";", sep)
    rows = [
        ["17.05.2023", "drogë", str(KALA[0]), str(KALA[1]), "", "A-1"],
        ["2023-06-01 21:15", "Vjedhje", "", "", "Kalasë", "A-2"],  # geocoded by the gazetteer
        ["2023-06-02", "dhunë në familje", "", "", "Rruga që nuk ekziston", "A-3"],  # no usable place
    ]
    text = header + "\n" + "\n".join(sep.join(r) for r in rows) + "\n"
    rep = importing.import_file(store, write(tmp_path / "c.csv", text, encoding), author="t")
    assert rep.accepted and rep.added == 3 and rep.raw.separator == sep
    got = table.read(store).set_index("reference")
    assert got.loc["A-1", "offence"] == "drugs" and got.loc["A-1", "location_quality"] == "exact"
    assert got.loc["A-2", "offence"] == "theft" and got.loc["A-2", "occurred_at"] == "21:15"
    # found by the gazetteer: its place is kept, not the typed text
    assert got.loc["A-2", "address"] == "Kalaja e Elbasanit" and got.loc["A-2", "location_quality"] == "landmark"
    assert "Kalaja e Elbasanit" in got.loc["A-2", "location_source"]
    assert got.loc["A-3", "location_quality"] == "unlocated" and got.loc["A-3", "geometry"] is None
    assert got.loc["A-3", "problem"] == "1.5"
    assert list(rep.cleaned.unplaced["row"]) == [4]
    assert b"Rruga q" in rep.report_csv("en")


def test_a_refused_row_refuses_the_whole_file_with_a_report(tmp_path: Path, any_store: Store) -> None:
    store = any_store
    text = "\n".join([
        "date,offence,lat,lon,reference",
        f"2023-05-17,drugs,{KALA[0]},{KALA[1]},R1",
        f"17/13/2023,drugs,{KALA[0]},{KALA[1]},R2",  # no 13th month
        f"2023-05-18,arson,{KALA[0]},{KALA[1]},R3",  # not an offence class
        f"2023-05-19,theft,{TIRANA[0]},{TIRANA[1]},R4",  # outside the municipality
        f"2023-05-20,theft,{KALA[1]},{KALA[0]},R5",  # swapped
        f"2023-05-21,theft,{KALA[0]},{KALA[1]},R1",  # repeated reference
        "2999-01-01,theft,,,R6",  # in the future
    ]) + "\n"
    before = db_digest(store)
    rep = importing.import_file(store, write(tmp_path / "c.csv", text), author="t")
    assert not rep.accepted and rep.added == 0
    assert list(zip(rep.cleaned.refused["row"], rep.cleaned.refused["reason"], strict=True)) == [
        (3, "date"), (4, "offence"), (5, "outside"), (6, "outside"), (7, "reference_repeated"), (8, "date")]
    assert "Nothing was imported: 6 of 7 rows" in rep.summary("en")
    assert db_digest(store) == before


def test_reimport_adds_nothing_with_or_without_references(tmp_path: Path, any_store: Store) -> None:
    store = any_store
    with_ref = (f"date,offence,lat,lon,reference\n2023-05-17,drugs,{KALA[0]},{KALA[1]},R1\n"
                f"2023-05-18,drugs,{KALA[0]},{KALA[1]},R2\n")
    without = f"date,offence,lat,lon\n2023-05-17,theft,{KALA[0]},{KALA[1]}\n2023-05-17,theft,{KALA[0]},{KALA[1]}\n"
    for text, n in ((with_ref, 2), (without, 2)):
        f = write(tmp_path / "c.csv", text)
        assert importing.import_file(store, f, author="t").added == n
        again = importing.import_file(store, f, author="t")
        assert again.added == 0 and again.already_stored == n
    assert table.count(store) == 4
    dry = importing.import_file(store, write(tmp_path / "d.csv", with_ref.replace("R2", "R9")), author="t", dry_run=True)
    assert dry.added == 0 and dry.already_stored == 1 and table.count(store) == 4


def test_geojson_gpkg_xlsx_and_a_mapping_file(tmp_path: Path, any_store: Store) -> None:
    store = any_store
    import geopandas as gpd
    import openpyxl
    import shapely

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [KALA[1], KALA[0]]},
         "properties": {"date": "2023-05-17", "offence": "drugs", "reference": "G1"}}]}
    assert importing.import_file(store, write(tmp_path / "c.geojson", json.dumps(doc)), author="t").added == 1
    gdf = gpd.GeoDataFrame({"data": ["18.05.2023"], "vepra": ["vjedhje"], "nr_ceshtjes": ["P1"]},
                           geometry=[shapely.Point(KALA[1], KALA[0])], crs="EPSG:4326").to_crs("EPSG:32634")
    gdf.to_file(tmp_path / "c.gpkg", driver="GPKG")
    assert importing.import_file(store, tmp_path / "c.gpkg", author="t").added == 1
    book = openpyxl.Workbook()
    book.active.append(["Data e regjistrimit", "Neni", "Y", "X", "Kodi"])
    import datetime as dt

    book.active.append([dt.datetime(2023, 5, 19), "Neni 283", KALA[0], KALA[1], "X1"])
    book.save(tmp_path / "c.xlsx")
    mapping = write(tmp_path / "m.yaml", "columns:\n  Data e regjistrimit: date\n  Neni: offence\n  Y: lat\n  X: lon\n"
                    "  Kodi: reference\noffences:\n  Neni 283: drugs\n")
    assert importing.import_file(store, tmp_path / "c.xlsx", author="t", mapping=mapping).added == 1
    got = table.read(store).sort_values("occurred_on")
    assert list(got["occurred_on"]) == ["2023-05-17", "2023-05-18", "2023-05-19"]
    assert list(got["offence"]) == ["drugs", "theft", "drugs"]
    assert (got.geometry.x - KALA[1]).abs().max() < 1e-6 and (got.geometry.y - KALA[0]).abs().max() < 1e-6
    with pytest.raises(ImportFileError, match="Columns it does not know: “Data e regjistrimit”, “Neni”, “Y”, “X”, “Kodi”"):
        importing.import_file(store, tmp_path / "c.xlsx", author="t")  # without the mapping: columns not known


def test_stored_incidents_read_filter_count_and_remove_on_both_backends(tmp_path: Path, any_store: Store) -> None:
    import geopandas as gpd
    import shapely
    import sqlalchemy as sa

    from hotspots.incidents import counts

    store = any_store
    text = "\n".join([AL_HEADER,
                      f"17.05.2023;droge;{KALA[0]};{KALA[1]};;E1",
                      f"18.08.2023 22:10;vjedhje;{KALA[0] + 0.0002};{KALA[1]};;E2",
                      f"19.08.2023;droge;{KALA[0] + 0.02};{KALA[1]};;E3",  # 2.2 km north: outside the zone
                      "20.08.2023;dhune;;;Rruga që nuk ekziston;E4"]) + "\n"
    assert importing.import_file(store, write(tmp_path / "e.csv", text), author="t", dataset="example").added == 4
    assert table.count(store, "example") == 4 and table.count(store, "real") == 0
    assert len(table.read(store, dataset="example", start="2023-08-01")) == 3
    assert list(table.read(store, dataset="example", end="2023-08-18", offences=["theft"])["reference"]) == ["E2"]
    got = table.read(store, dataset="example")
    assert got.crs == "EPSG:4326" and got.geometry.isna().sum() == 1
    assert got.loc[got["reference"] == "E2", "occurred_at"].item() == "22:10"
    zone = gpd.GeoDataFrame({"id": ["K"], "category": ["crime"], "period": ["2023-H1"], "status": ["active"]},
                            geometry=[shapely.Point(KALA[1], KALA[0])], crs="EPSG:4326")
    by = counts.counts_by_hotspot(got, zone).set_index("period")
    assert by.loc["2023-H1", "total"] == 1 and by.loc["2023-H2", "total"] == 1  # E1, E2 within 150 m; E3 not
    if not store.url.startswith("sqlite"):  # the spatial index of the migration: a GiST on the generated point
        with sa.create_engine(store.url).connect() as conn:
            indexes = conn.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE tablename = 'incidents'")).scalars().all()
        assert any("gist" in i.lower() and "geom" in i for i in indexes), indexes
    assert table.remove_dataset(store, "example", author="t") == 4 and table.count(store) == 0
    assert list(store.history(limit=2)["action"]) == ["incidents remove", "incidents import"]  # both in the history
