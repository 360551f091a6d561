"""The incident import gate: only known and mapped columns pass, free text about people is refused.

Through the real command line (in-process) on both backends, the store unchanged after
every refusal: the corpus of personal headers, the free-text cases, the mapping that routes
a home address, and what a spreadsheet hides (sheets, columns, rows, blank headers).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotspots.base.errors import ImportFileError
from hotspots.incidents import importing, table
from hotspots.incidents.config import ColumnMapping, header_key, personal_columns
from hotspots.incidents.gate import PersonalDataError, check_header
from hotspots.incidents.screening import reference_kind, text_kind
from hotspots.plan.store import Store

from .conftest import CliRunner, db_digest
from .personal import FREE_TEXT_CASES, PERSONAL_HEADERS

KALA = (41.1130, 20.0800)


def test_the_corpus_is_big_enough_and_in_both_languages() -> None:
    assert len(PERSONAL_HEADERS) >= 100 and len(set(PERSONAL_HEADERS)) == len(PERSONAL_HEADERS)
    for name in ("mbiemer", "emer_mbiemer", "emri_plote", "emri_viktimes", "emri_autorit", "viktima_emri", "NrPersonal",
                 "nr_id", "numri_identitetit", "data_e_lindjes", "Data e lindjes", "vendlindja", "telefoni", "Telefoni",
                 "DOB", "surname", "victim_name", "home_address", "Data e Lindjes.1", "Phone_1", "Mbiemër"):
        assert name in PERSONAL_HEADERS
    # the old deny-list is kept as the classifier of the message: every one of them is named as personal
    assert len(personal_columns(PERSONAL_HEADERS)) == len(PERSONAL_HEADERS)


def test_no_personal_header_passes_incidents_import(cli: CliRunner, backend_url: str, tmp_path: Path) -> None:
    assert cli("init").returncode == 0
    before = db_digest(backend_url)
    passed = []
    for number, header in enumerate(PERSONAL_HEADERS):
        f = tmp_path / f"h{number}.csv"
        f.write_text(f"data;vepra;gjeresia;gjatesia;{header}\n17.05.2023;droge;{KALA[0]};{KALA[1]};x\n", encoding="utf-8")
        done = cli("--lang", "en", "incidents", "import", str(f))
        if done.returncode != 2 or "look like data about people" not in done.stderr:
            passed.append((header, done.returncode, done.stderr[-200:]))
    assert passed == []
    assert db_digest(backend_url) == before


def test_the_refusal_lists_every_unknown_column_and_says_which_look_personal(tmp_path: Path) -> None:
    with pytest.raises(PersonalDataError) as err:
        check_header(["data", "vepra", "adresa", "Emri", "Shënime", "Nr. Personal"])
    message = err.value.message("en")
    assert "Columns it does not know: “Emri”, “Shënime”, “Nr. Personal”" in message
    assert "Of them, these look like data about people (identity numbers, names): “Emri”, “Nr. Personal”." in message
    assert "“data”" not in message and "“adresa”" not in message
    sq = err.value.message("sq")
    assert "u refuzua i tëri" in sq and "numra identiteti, emra" in sq
    with pytest.raises(PersonalDataError) as err:
        check_header(["data", "vepra", "adresa", "Shënime"])  # nothing personal, still not asked for
    assert "Columns it does not know: “Shënime”" in err.value.message("en") and "people" not in err.value.message("en")


@pytest.mark.parametrize("header", ["DATA", "Data.1", "3. Data", "data_2", "Vepra", "VEPRA PENALE", "Gjerësia",
                                    "GJATËSIA", "Nr. i Çështjes", "NrCeshtjes", "caseNumber", "Adresa", "Pika e referimit"])
def test_known_headers_pass_in_their_variants(header: str) -> None:
    names = {"data": ["vepra", "adresa"], "vepra": ["data", "adresa"], "adresa": ["data", "vepra"]}.get(
        header_key(header), ["data", "vepra", "adresa"])
    check_header([header, *names])


@pytest.mark.parametrize(("headers", "key"), [
    (["data", "vepra", "adresa", "Data.1"], "err_inc_header_duplicate"),
    (["data", "vepra", "adresa", "ADRESA"], "err_inc_header_duplicate"),
    (["Data", "vepra", "adresa", "data_1"], "err_inc_header_duplicate"),
    (["data", "vepra", "adresa", "Unnamed: 3"], "err_inc_header_blank"),
    (["data", "vepra", "adresa", "  "], "err_inc_header_blank"),
])
def test_duplicate_and_blank_headers_are_refused(headers: list[str], key: str) -> None:
    with pytest.raises(ImportFileError) as err:
        check_header(headers)
    assert err.value.key == key


def _import(cli: CliRunner, path: Path, *extra: str) -> tuple[int, str]:
    done = cli("--lang", "en", "incidents", "import", str(path), *extra)
    return done.returncode, done.stderr + done.stdout


def test_the_free_text_cases_are_refused_by_row_and_reason_never_echoed(cli: CliRunner, backend_url: str,
                                                                       tmp_path: Path) -> None:
    assert cli("init").returncode == 0
    before = db_digest(backend_url)
    reasons = {"reference_shape": "case-number shape", "text_phone": "phone number", "text_id_number": "personal number",
               "text_date": "a date", "text_personal_word": "speaks of a person"}
    for number, (field, value, kind) in enumerate(FREE_TEXT_CASES):
        f = tmp_path / f"t{number}.csv"
        if field == "reference":
            f.write_text("date;offence;lat;lon;reference\n"
                         f"2023-05-17;drugs;{KALA[0]};{KALA[1]};EL-2023-0001\n2023-05-18;drugs;{KALA[0]};{KALA[1]};{value}\n",
                         encoding="utf-8")
        else:
            f.write_text(f"date;offence;{field}\n2023-05-17;drugs;Kalaja e Elbasanit\n2023-05-18;theft;{value}\n",
                         encoding="utf-8")
        code, out = _import(cli, f)
        assert code == 2, (value, out)
        assert "Row 3: refused: " in out and reasons[kind] in out, (value, out)
        assert f"(“{field}”)" in out  # the column is named ...
        for piece in value.replace(",", " ").split():  # ... and no word of the text is echoed
            if len(piece) > 3 and piece not in {"Rruga", "Kalaja", "Lagjja", "Bulevardi", "Qemal", "Stafa", "pranë"}:
                assert piece not in out, (piece, out)
        assert "Nothing was imported" in out
    assert db_digest(backend_url) == before


def test_free_text_refusals_in_one_file_list_each_row(any_store: Store, tmp_path: Path) -> None:
    rows = [f"2023-05-{10 + i:02d};drugs;{KALA[0]};{KALA[1]};{value}" for i, (f, value, _k) in enumerate(FREE_TEXT_CASES)
            if f == "reference"]
    f = tmp_path / "refs.csv"
    f.write_text("date;offence;lat;lon;reference\n" + "\n".join(rows) + "\n2023-06-01;theft;41.113;20.08;EL-2023-0412\n",
                 encoding="utf-8")
    before = table.count(any_store)
    rep = importing.import_file(any_store, f, author="t")
    assert not rep.accepted and table.count(any_store) == before
    got = list(zip(rep.cleaned.refused["row"], rep.cleaned.refused["reason"], strict=True))
    assert got == [(2, "reference_shape"), (3, "reference_shape"), (4, "reference_shape"), (5, "reference_shape"),
                   (6, "text_phone")]
    assert set(rep.cleaned.refused["value"]) == {"“reference”"}
    report = rep.report_csv("en").decode()
    assert "Hoxha" not in report and "J85302123X" not in report and "0691234567" not in report


@pytest.fixture()
def any_store(backend_url: str) -> Store:
    s = Store(backend_url)
    s.init(author="test")
    return s


@pytest.mark.parametrize("column", ["adresa e banimit", "Vendbanimi", "home_address", "Adresa e viktimës"])
def test_a_mapping_that_routes_a_home_address_to_the_place_is_refused(cli: CliRunner, backend_url: str, tmp_path: Path,
                                                                       column: str) -> None:
    assert cli("init").returncode == 0
    before = db_digest(backend_url)
    f = tmp_path / "m.csv"
    f.write_text(f"data;vepra;{column}\n17.05.2023;droge;Kalaja e Elbasanit\n", encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text(f"columns:\n  {column}: address\n", encoding="utf-8")
    code, out = _import(cli, f, "--mapping", str(m))
    assert code == 2 and "looks like a home address" in out and f"“{column}”" in out, out
    assert db_digest(backend_url) == before


def test_a_mapping_may_not_route_any_personal_column(tmp_path: Path) -> None:
    for column, field in (("Data e lindjes", "date"), ("Emri i viktimës", "reference"), ("NrPersonal", "reference")):
        with pytest.raises(ImportFileError) as err:
            check_header([column, "vepra", "adresa"], ColumnMapping({column: field}, {}))
        assert err.value.key == "err_inc_mapping_personal" and "looks like data about people" in err.value.message("en")
    plain = {"Kodi": "reference", "Neni": "offence", "Data e regjistrimit": "date", "Y": "lat", "X": "lon"}
    check_header(list(plain), ColumnMapping(plain, {}))


def _book(path: Path, *, header: list[object] | None = None, rows: list[list[object]] | None = None) -> object:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ngjarjet"
    sheet.append(header or ["data", "vepra", "gjeresia", "gjatesia"])
    for row in rows or [["17.05.2023", "droge", KALA[0], KALA[1]], ["18.05.2023", "vjedhje", KALA[0], KALA[1]]]:
        sheet.append(row)
    return book


def _hidden_first_sheet(path: Path) -> None:
    book = _book(path)
    visible = book.create_sheet("Ngjarjet e pastra")  # type: ignore[attr-defined]
    visible.append(["data", "vepra", "gjeresia", "gjatesia"])
    visible.append(["17.05.2023", "droge", KALA[0], KALA[1]])
    book.active.sheet_state = "hidden"  # type: ignore[attr-defined]
    book.active = 1  # type: ignore[attr-defined]
    book.save(path)  # type: ignore[attr-defined]


def _hidden_sheet_with_names(path: Path) -> None:
    book = _book(path)
    names = book.create_sheet("Personat")  # type: ignore[attr-defined]
    names.append(["emri", "mbiemri"])
    names.append(["Arta", "Hoxha"])
    names.sheet_state = "veryHidden"
    book.save(path)  # type: ignore[attr-defined]


def _two_visible_sheets(path: Path) -> None:
    book = _book(path)
    more = book.create_sheet("Shënime")  # type: ignore[attr-defined]
    more.append(["Arta Hoxha, viktima"])
    book.save(path)  # type: ignore[attr-defined]


def _hidden_column(path: Path) -> None:
    book = _book(path, header=["data", "vepra", "gjeresia", "gjatesia", "adresa"],
                 rows=[["17.05.2023", "droge", KALA[0], KALA[1], "Kalaja"]])
    book.active.column_dimensions["E"].hidden = True  # type: ignore[attr-defined]
    book.save(path)  # type: ignore[attr-defined]


def _hidden_rows(path: Path) -> None:
    book = _book(path)
    book.active.row_dimensions[3].hidden = True  # type: ignore[attr-defined]
    book.save(path)  # type: ignore[attr-defined]


def _blank_header_over_names(path: Path) -> None:
    book = _book(path, header=["data", "vepra", "gjeresia", "gjatesia", None],
                 rows=[["17.05.2023", "droge", KALA[0], KALA[1], "Arta Hoxha"]])
    book.save(path)  # type: ignore[attr-defined]


def _duplicate_header(path: Path) -> None:
    book = _book(path, header=["data", "vepra", "gjeresia", "gjatesia", "Data"],
                 rows=[["17.05.2023", "droge", KALA[0], KALA[1], "02.03.1985"]])
    book.save(path)  # type: ignore[attr-defined]


def _csv(text: str) -> object:
    return lambda path: path.write_text(text, encoding="utf-8")


def _geojson_duplicate_property(path: Path) -> None:
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", '
                    f'"coordinates": [{KALA[1]}, {KALA[0]}]}}, "properties": {{"date": "2023-05-17", "offence": "drugs", '
                    '"address": "Kalaja", "address": "shtepia e Arta Hoxhes"}}}]}', encoding="utf-8")


def _gpkg_two_layers(path: Path) -> None:
    import geopandas as gpd
    import shapely

    point = [shapely.Point(KALA[1], KALA[0])]
    gpd.GeoDataFrame({"data": ["2023-05-17"], "vepra": ["droge"]}, geometry=point, crs="EPSG:4326").to_file(
        path, layer="ngjarjet", driver="GPKG")
    gpd.GeoDataFrame({"emri": ["Arta Hoxha"]}, geometry=point, crs="EPSG:4326").to_file(path, layer="personat", driver="GPKG")


#: name -> (writer, message key): files whose hidden or ambiguous parts refuse them.
HIDING_FILES = {
    "hidden_first_sheet.xlsx": (_hidden_first_sheet, "err_inc_xlsx_hidden_sheet"),
    "hidden_sheet_with_names.xlsx": (_hidden_sheet_with_names, "err_inc_xlsx_hidden_sheet"),
    "two_sheets.xlsx": (_two_visible_sheets, "err_inc_xlsx_sheets"),
    "hidden_column.xlsx": (_hidden_column, "err_inc_xlsx_hidden_column"),
    "hidden_rows.xlsx": (_hidden_rows, "err_inc_xlsx_hidden_rows"),
    "blank_header.xlsx": (_blank_header_over_names, "err_inc_header_blank"),
    "duplicate_header.xlsx": (_duplicate_header, "err_inc_header_duplicate"),
    "blank_header.csv": (_csv(f"data;vepra;gjeresia;gjatesia;\n17.05.2023;droge;{KALA[0]};{KALA[1]};Arta Hoxha\n"),
                         "err_inc_header_blank"),
    "longer_row.csv": (_csv(f"data;vepra;gjeresia;gjatesia\n17.05.2023;droge;{KALA[0]};{KALA[1]};Arta Hoxha\n"),
                       "err_inc_csv_wide"),
    "duplicate_header.csv": (_csv(f"data;vepra;gjeresia;gjatesia;Data.1\n17.05.2023;droge;{KALA[0]};{KALA[1]};x\n"),
                             "err_inc_header_duplicate"),
    "duplicate_property.geojson": (_geojson_duplicate_property, "err_inc_header_duplicate"),
    "two_layers.gpkg": (_gpkg_two_layers, "err_inc_gpkg_layers"),
}


@pytest.mark.parametrize("name", sorted(HIDING_FILES))
def test_what_a_file_hides_refuses_it(any_store: Store, backend_url: str, tmp_path: Path, name: str) -> None:
    writer, key = HIDING_FILES[name]
    path = tmp_path / name
    writer(path)  # type: ignore[operator]
    any_store.dispose()
    before = db_digest(backend_url)
    with pytest.raises(ImportFileError) as err:
        importing.import_file(any_store, path, author="t")
    assert err.value.key == key, err.value.message("en")
    assert "Arta" not in err.value.message("en") and "Hoxha" not in err.value.message("sq")
    any_store.dispose()
    assert db_digest(backend_url) == before


def test_a_plain_workbook_with_trailing_empty_columns_still_imports(any_store: Store, tmp_path: Path) -> None:
    book = _book(tmp_path / "ok.xlsx")
    book.active.cell(row=1, column=9).value = None  # type: ignore[attr-defined]
    book.active.cell(row=2, column=9).value = ""  # type: ignore[attr-defined]
    book.active.column_dimensions["Z"].hidden = True  # type: ignore[attr-defined]  # hidden, but holds nothing
    book.save(tmp_path / "ok.xlsx")  # type: ignore[attr-defined]
    assert importing.import_file(any_store, tmp_path / "ok.xlsx", author="t").added == 2
    (tmp_path / "ok.csv").write_text(f"data;vepra;gjeresia;gjatesia;\n19.05.2023;droge;{KALA[0]};{KALA[1]};\n",
                                     encoding="utf-8")  # a trailing separator: an empty column without a header
    assert importing.import_file(any_store, tmp_path / "ok.csv", author="t").added == 1


def test_the_gazetteer_place_is_kept_not_the_typed_text(any_store: Store, tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("data;vepra;adresa;pika e referimit;nr_ceshtjes\n"
                 "17.05.2023;vjedhje;te Kalaja e Elbasanit, para portes;;EL-1\n"
                 "18.05.2023;vjedhje;;Xhamia e Nazireshës;EL-2\n"
                 "19.05.2023;vjedhje;Rruga që nuk ekziston 7;;EL-3\n", encoding="utf-8")
    rep = importing.import_file(any_store, f, author="t")
    assert rep.accepted and rep.added == 3
    got = table.read(any_store).set_index("reference")
    assert got.loc["EL-1", "address"] == "Kalaja e Elbasanit" and got.loc["EL-1", "location_quality"] == "landmark"
    assert got.loc["EL-2", "address"] == "Xhamia e Nazireshës"  # the landmark column, placed the same way
    assert got.loc["EL-3", "address"] == "Rruga që nuk ekziston 7" and got.loc["EL-3", "location_quality"] == "unlocated"


def test_the_screen_knows_its_cases() -> None:
    for field, value, kind in FREE_TEXT_CASES:
        got = reference_kind(value) if field == "reference" else text_kind(value)
        want = kind.removeprefix("text_")
        assert got == want, (value, got)
    for clean in ("Rruga e Kalasë", "Bulevardi “Qemal Stafa” (fundi lindor, te stadiumi)", "Rruga pa emër, pranë pallatit 96",
                  "Shtëpia e Kulturës", "Shtëpia e Fëmijës", "Lagjja 5 Maji", "Rruga 11 Nëntori", "Pallati 12/3-14",
                  "Njësia administrative Elbasan"):
        assert text_kind(clean) is None, clean
    for ref in ("EL-2023-0412", "SHEMBULL-00001", "1234/2023", "R1", "A-1", "2023.045"):
        assert reference_kind(ref) is None, ref


def test_a_row_refused_for_another_reason_does_not_echo_personal_text(any_store: Store, tmp_path: Path) -> None:
    f = tmp_path / "o.csv"
    f.write_text(f"date;offence;lat;lon\nArta 0691234567;drugs;{KALA[0]};{KALA[1]}\n2023-05-17;J85302123X;{KALA[0]};{KALA[1]}\n",
                 encoding="utf-8")
    rep = importing.import_file(any_store, f, author="t")
    assert list(rep.cleaned.refused["reason"]) == ["date", "offence"]
    assert list(rep.cleaned.refused["value"]) == ["‹phone›", "‹id_number›"]


def test_the_example_and_the_readme_example_still_import(any_store: Store, tmp_path: Path) -> None:
    from hotspots.incidents import example

    assert importing.import_file(any_store, example.EXAMPLE_FILE, author="t", dataset="example").added == 974
    readme = tmp_path / "r.csv"
    readme.write_text("data;vepra;gjeresia;gjatesia;adresa;nr_ceshtjes\n"
                      "17.05.2023 21:40;droge;41.113210;20.080150;;EL-2023-0412\n"
                      "2023-05-18;vjedhje;;;Kalaja e Elbasanit;EL-2023-0415\n", encoding="utf-8")
    assert importing.import_file(any_store, readme, author="t").added == 2
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "date": "2023-05-17", "offence": "drugs", "reference": "G1", "lat": "1", "lon": "2"},
        "geometry": {"type": "Point", "coordinates": [KALA[1], KALA[0]]}}]}
    gj = tmp_path / "g.geojson"
    gj.write_text(json.dumps(doc), encoding="utf-8")  # lat/lon properties beside the point: the point is read
    assert importing.import_file(any_store, gj, author="t").added == 1


def test_the_page_upload_goes_through_the_same_gate(tmp_path: Path) -> None:
    from hotspots.incidents import config, reading

    data = f"data;vepra;gjeresia;gjatesia;emri_viktimes\n17.05.2023;droge;{KALA[0]};{KALA[1]};x\n".encode()
    with pytest.raises(PersonalDataError, match="emri_viktimes"):
        reading.read_upload("police.csv", data)
    home = "data;vepra;adresa e banimit\n17.05.2023;droge;Kalaja\n".encode()
    rules = config.parse_mapping("columns: {adresa e banimit: address}")
    with pytest.raises(ImportFileError) as err:
        reading.read_upload("police.csv", home, rules)
    assert err.value.key == "err_inc_mapping_home"
    plain = config.parse_mapping("columns: {Kodi: reference}")
    raw = reading.read_upload("police.csv", f"data;vepra;gjeresia;gjatesia;Kodi\n17.05.2023;droge;{KALA[0]};{KALA[1]};K-1\n"
                              .encode(), plain)
    assert list(raw.rows.columns) == ["data", "vepra", "gjeresia", "gjatesia", "Kodi", "_row"]
