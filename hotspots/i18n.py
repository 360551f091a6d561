"""Albanian (default) and English strings of the app, the command line and the errors."""

from __future__ import annotations

from typing import Any

LANGUAGES: tuple[str, ...] = ("sq", "en")

#: key -> {language: text}; ``{name}`` placeholders are filled by :func:`t`.
TEXT: dict[str, dict[str, str]] = {
    # errors
    "err_period_format": {"sq": "Periudha “{value}” nuk është e formës VVVV-H1 ose VVVV-H2.", "en": "Period “{value}” is not of the form YYYY-H1 or YYYY-H2."},
    "err_period_unknown": {"sq": "Periudha “{value}” nuk është periudhë rishikimi e planit. Të lejuara: {allowed}.", "en": "Period “{value}” is not a review period of the plan. Allowed: {allowed}."},
    "err_choice": {"sq": "Vlera “{value}” nuk lejohet për {field}. Të lejuara: {allowed}.", "en": "Value “{value}” is not allowed for {field}. Allowed: {allowed}."},
    "err_name_missing": {"sq": "Emri mungon.", "en": "The name is missing."},
    "err_name_long": {"sq": "Emri ka {length} shkronja; maksimumi është {limit}.", "en": "The name has {length} characters; at most {limit} are allowed."},
    "err_note_type": {"sq": "Shënimi duhet të jetë tekst.", "en": "The note must be text."},
    "err_note_long": {"sq": "Teksti ka {length} shkronja; maksimumi është {limit}.", "en": "The text has {length} characters; at most {limit} are allowed."},
    "err_coord_number": {"sq": "Koordinatat ({lat}, {lon}) nuk janë numra të vlefshëm.", "en": "Coordinates ({lat}, {lon}) are not valid numbers."},
    "err_coord_range": {"sq": "Koordinatat ({lat}, {lon}) janë jashtë kufijve (gjerësia −90…90, gjatësia −180…180). Mos i keni ngatërruar?", "en": "Coordinates ({lat}, {lon}) are out of range (latitude −90…90, longitude −180…180). Were they swapped?"},
    "err_outside_area": {"sq": "Pika ({lat}, {lon}) është jashtë bashkisë Elbasan. Mos janë ngatërruar gjerësia dhe gjatësia?", "en": "The point ({lat}, {lon}) is outside the municipality of Elbasan. Were latitude and longitude swapped?"},
    "err_unlocated_with_geometry": {"sq": "Një hotspot “pa vendndodhje” nuk mund të ketë gjeometri.", "en": "An “unlocated” hotspot cannot have a geometry."},
    "err_geometry_missing": {"sq": "Cilësia “{quality}” kërkon një vendndodhje.", "en": "Location quality “{quality}” needs a location."},
    "err_geometry_type": {"sq": "Gjeometria {value} nuk lejohet. Të lejuara: {allowed}.", "en": "Geometry {value} is not allowed. Allowed: {allowed}."},
    "err_geometry_invalid": {"sq": "Gjeometria nuk është e vlefshme: {reason}.", "en": "The geometry is not valid: {reason}."},
    "err_geometry_malformed": {"sq": "Gjeometria nuk lexohet: {reason}.", "en": "The geometry cannot be read: {reason}."},
    "err_problem_category": {"sq": "Problemi {problem} nuk përputhet me kategorinë {category} (pritej {expected}).", "en": "Problem {problem} does not match category {category} (expected {expected})."},
    "err_duplicate": {"sq": "Ky hotspot ekziston tashmë në të njëjtin vend në periudhën {period} ({id}).", "en": "This hotspot already exists at the same place in period {period} ({id})."},
    "err_author_missing": {"sq": "Çdo ndryshim kërkon një autor.", "en": "Every change needs an author."},
    "err_hotspot_unknown": {"sq": "Hotspot-i “{id}” nuk ekziston.", "en": "Hotspot “{id}” does not exist."},
    "err_no_earlier_period": {"sq": "Hotspot-i “{id}” nuk ka asnjë periudhë para {period}.", "en": "Hotspot “{id}” has no period before {period}."},
    "err_file_missing": {"sq": "Skedari “{path}” nuk ekziston.", "en": "File “{path}” does not exist."},
    "err_file_too_big": {"sq": "Skedari ka {size} bajt; maksimumi është {limit}.", "en": "The file has {size} bytes; at most {limit} are accepted."},
    "err_file_encoding": {"sq": "Skedari nuk është tekst UTF-8.", "en": "The file is not UTF-8 text."},
    "err_file_json": {"sq": "Skedari nuk është JSON i vlefshëm (rreshti {line}, kolona {column}).", "en": "The file is not valid JSON (line {line}, column {column})."},
    "err_file_structure": {"sq": "Skedari nuk është një GeoJSON FeatureCollection me objekte Feature.", "en": "The file is not a GeoJSON FeatureCollection of Feature objects."},
    "err_file_crs": {"sq": "Sistemi i koordinatave {crs} nuk pranohet; GeoJSON duhet të jetë në WGS84.", "en": "Coordinate system {crs} is not accepted; GeoJSON must be WGS84."},
    "err_file_empty": {"sq": "Skedari nuk ka asnjë hotspot.", "en": "The file holds no hotspot."},
    "err_file_csv": {"sq": "CSV nuk lexohet ose i mungojnë kolonat “name” dhe “wkt”.", "en": "The CSV cannot be read or lacks the “name” and “wkt” columns."},
    "err_file_gpkg": {"sq": "GeoPackage nuk lexohet.", "en": "The GeoPackage cannot be read."},
    "err_feature": {"sq": "Objekti nr. {number}: {cause} Asgjë nuk u ruajt.", "en": "Feature no. {number}: {cause} Nothing was stored."},
    "err_units_field_value": {"sq": "Vlera “{value}” nuk është numër njësie 1–6.", "en": "Value “{value}” is not a unit number 1–6."},
    "err_units_numbers": {"sq": "Shtresa duhet të ketë njësitë 1–6 nga një herë; u gjetën {found}.", "en": "The layer must hold units 1–6 once each; found {found}."},
    "err_units_not_polygons": {"sq": "Njësitë duhet të jenë poligone.", "en": "Units must be polygons."},
    "err_units_invalid": {"sq": "Poligonet e njësive {units} nuk janë të vlefshme.", "en": "The polygons of units {units} are not valid."},
    "err_units_overlap": {"sq": "Njësitë {a} dhe {b} mbivendosen ({m2} m²).", "en": "Units {a} and {b} overlap ({m2} m²)."},
    "err_units_outside": {"sq": "Njësitë {units} dalin jashtë bashkisë.", "en": "Units {units} reach outside the municipality."},
    "err_units_unreadable": {"sq": "Skedari i njësive “{path}” nuk lexohet: {reason}", "en": "The unit file “{path}” cannot be read: {reason}"},
    "err_units_no_crs": {"sq": "Skedari “{path}” nuk ka sistem koordinatash.", "en": "File “{path}” has no coordinate system."},
    "err_units_field": {"sq": "Fusha “{field}” nuk ekziston. Fushat: {columns}.", "en": "Field “{field}” does not exist. Fields: {columns}."},
    "err_permission": {"sq": "Roli juaj nuk e lejon këtë veprim.", "en": "Your role does not allow this action."},
    "err_user_unknown": {"sq": "Llogaria “{name}” nuk ekziston.", "en": "Account “{name}” does not exist."},
    "err_user_exists": {"sq": "Llogaria “{name}” ekziston tashmë.", "en": "Account “{name}” already exists."},
    "err_password_short": {"sq": "Fjalëkalimi duhet të ketë të paktën {limit} shkronja.", "en": "The password needs at least {limit} characters."},
    "err_user_name": {"sq": "Emri i llogarisë duhet të ketë 2–40 shkronja, shifra, . _ ose -.", "en": "An account name needs 2–40 letters, digits, . _ or -."},
    "err_geocode_outside": {"sq": "“{query}” u gjet jashtë bashkisë dhe u refuzua.", "en": "“{query}” was found outside the municipality and refused."},
    "err_geocode_none": {"sq": "Asnjë vend nuk u gjet për “{query}”.", "en": "No place found for “{query}”."},
    "cli_error": {"sq": "Gabim:", "en": "Error:"},
    "err_demo_loaded": {"sq": "Të dhënat shembull janë ngarkuar tashmë.", "en": "The example data is already loaded."},
}


def t(key: str, lang: str = "sq", /, **params: Any) -> str:
    """Return the text ``key`` in ``lang`` with ``params`` filled in.

    Unknown keys come back as the key itself, so a missing string is visible, not fatal.

    Examples
    --------
    >>> t("err_name_missing", "en")
    'The name is missing.'
    """
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["sq"]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text
