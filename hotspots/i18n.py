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

    # vocabulary
    "cat_crime": {"sq": "Krim / drogë (1.7)", "en": "Crime / drugs (1.7)"},
    "cat_street_children": {"sq": "Fëmijë në situatë rruge (1.10)", "en": "Street children (1.10)"},
    "q_exact": {"sq": "e saktë", "en": "exact"},
    "q_landmark": {"sq": "pikë reference", "en": "landmark"},
    "q_approximate": {"sq": "e përafërt", "en": "approximate"},
    "q_unlocated": {"sq": "pa vendndodhje", "en": "unlocated"},
    "st_active": {"sq": "aktiv", "en": "active"},
    "st_resolved": {"sq": "zgjidhur", "en": "resolved"},
    "st_removed": {"sq": "hequr", "en": "removed"},
    "prio_high": {"sq": "Prioritet i lartë", "en": "High priority"},
    "prio_moderate": {"sq": "Prioritet i moderuar", "en": "Moderate priority"},
    "prio_low": {"sq": "Prioritet i ulët", "en": "Low priority"},
    "unit_n": {"sq": "Lagjja nr. {n}", "en": "Unit no. {n}"},
    "unit_label": {"sq": "Nr. {n} ({count})", "en": "No. {n} ({count})"},
    "no_unit": {"sq": "Pa njësi", "en": "No unit"},
    "total": {"sq": "Gjithsej", "en": "Total"},
    "col_id": {"sq": "ID", "en": "ID"},
    "col_name": {"sq": "Emri (si në plan)", "en": "Name (as in the plan)"},
    "col_name_en": {"sq": "Përkthimi", "en": "Translation"},
    "col_category": {"sq": "Kategoria", "en": "Category"},
    "col_unit": {"sq": "Njësia", "en": "Unit"},
    "col_status": {"sq": "Statusi", "en": "Status"},
    "col_location_quality": {"sq": "Vendndodhja", "en": "Location"},
    "col_location_source": {"sq": "Burimi i vendndodhjes", "en": "Location source"},
    "col_period": {"sq": "Periudha", "en": "Period"},
    "col_problem": {"sq": "Problemi", "en": "Problem"},
    "col_notes": {"sq": "Shënime të brendshme", "en": "Internal notes"},
    # map
    "layer_boundary": {"sq": "Kufiri i bashkisë", "en": "Municipality boundary"},
    "layer_units": {"sq": "Njësitë (lagjet) 1–6", "en": "Units (lagje) 1–6"},
    "layer_hotspots": {"sq": "Hotspotet", "en": "Hotspots"},
    "layer_heat": {"sq": "Harta e nxehtësisë", "en": "Heat map"},
    "layer_cluster": {"sq": "Grupim i pikave", "en": "Cluster points"},
    "legend": {"sq": "Legjenda", "en": "Legend"},
    "legend_units": {"sq": "Hotspote aktive në njësi", "en": "Active hotspots in unit"},
    "note_approx_units": {"sq": "Kufijtë e njësive janë të përafërt (nuk ka të dhëna zyrtare publike).", "en": "Unit boundaries are approximate (no official public data)."},
    "note_example": {"sq": "TË DHËNA SHEMBULL — jo hotspote reale", "en": "EXAMPLE DATA — not real hotspots"},
    "plan_source": {"sq": "Burimi: Plani i KVSP, 3 shkurt 2022", "en": "Source: KVSP plan, 3 Feb 2022"},
    "pp_id": {"sq": "ID", "en": "ID"},
    "pp_unit": {"sq": "Njësia", "en": "Unit"},
    "pp_period": {"sq": "Periudha", "en": "Period"},
    "pp_status": {"sq": "Statusi", "en": "Status"},
    "pp_quality": {"sq": "Vendndodhja", "en": "Location"},
    "pp_source": {"sq": "Burimi", "en": "Source"},
    "pp_problem": {"sq": "Problemi", "en": "Problem"},
    "pp_priority": {"sq": "Prioriteti", "en": "Priority"},
    "pp_activities": {"sq": "Aktivitetet", "en": "Activities"},
    "pp_institutions": {"sq": "Institucionet përgjegjëse", "en": "Responsible institutions"},
    # app shell
    "app_title": {"sq": "Harta e hotspoteve — Elbasan", "en": "Hotspot map — Elbasan"},
    "page_map": {"sq": "Harta", "en": "Map"},
    "page_overview": {"sq": "Përmbledhje", "en": "Overview"},
    "page_add": {"sq": "Shto hotspot", "en": "Add a hotspot"},
    "page_update": {"sq": "Përditëso hotspot", "en": "Update a hotspot"},
    "page_review": {"sq": "Rishikimi", "en": "Review"},
    "page_plan": {"sq": "Plani", "en": "Plan"},
    "page_login": {"sq": "Hyrja", "en": "Log in"},
    "page_users": {"sq": "Llogaritë", "en": "Accounts"},
    "language": {"sq": "Gjuha", "en": "Language"},
    "attribution": {"sq": "Të dhënat: Plani i përbashkët ndërinstitucional (KVSP, 3 shkurt 2022). Kufijtë: © OpenStreetMap contributors, ODbL.", "en": "Data: joint inter-institutional plan (KVSP, 3 Feb 2022). Boundaries: © OpenStreetMap contributors, ODbL."},
    "filters": {"sq": "Filtrat", "en": "Filters"},
    "f_period": {"sq": "Periudha e rishikimit", "en": "Review period"},
    "f_category": {"sq": "Kategoria", "en": "Category"},
    "f_units": {"sq": "Njësitë (lagjet)", "en": "Units (lagje)"},
    "f_priority": {"sq": "Prioriteti", "en": "Priority"},
    "f_layers": {"sq": "Shtresat", "en": "Layers"},
    "f_all": {"sq": "Të gjitha", "en": "All"},
    "counts_title": {"sq": "Numri sipas njësisë dhe kategorisë", "en": "Counts by unit and category"},
    "shown_on_map": {"sq": "{n} hotspote në pamje, {located} në hartë", "en": "{n} hotspots in view, {located} on the map"},
    "needs_location": {"sq": "Pa vendndodhje — duhen vendosur në hartë", "en": "Needs a location"},
    "needs_location_none": {"sq": "Të gjithë hotspotet në pamje kanë vendndodhje.", "en": "Every hotspot in view has a location."},
    "export": {"sq": "Shkarko pamjen e filtruar", "en": "Download the filtered view"},
    "export_geojson": {"sq": "GeoJSON", "en": "GeoJSON"},
    "export_csv": {"sq": "CSV", "en": "CSV"},
    "link_note": {"sq": "Lidhja në shfletues ruan këtë pamje (filtrat janë në URL).", "en": "The browser link keeps this view (filters are in the URL)."},
    "approx_units_banner": {"sq": "Kufijtë e lagjeve 1–6 janë të përafërt: asnjë burim publik nuk i jep. Administratori mund t'i zëvendësojë me skedarin zyrtar.", "en": "The boundaries of units 1–6 are approximate: no public source gives them. An administrator can replace them with the official file."},
    "example_banner": {"sq": "Janë ngarkuar TË DHËNA SHEMBULL për trajnim (jo reale).", "en": "EXAMPLE DATA for training is loaded (not real)."},
    "overview_intro": {"sq": "Plani trevjeçar i “trekëndëshit” (Bashkia, Policia, Prokuroria) rishikohet çdo 6 muaj. Kjo aplikacion harton hotspotet e problemeve 1.7 dhe 1.10 sipas njësive dhe periudhave.", "en": "The triangle's (municipality, police, prosecution) 3-year plan is reviewed every 6 months. This app maps the hotspots of problems 1.7 and 1.10 by unit and review period."},
    "baseline_counts": {"sq": "Gjendja fillestare ({period})", "en": "Baseline ({period})"},
    "metric_crime": {"sq": "Hotspote krimi/droge", "en": "Crime/drug hotspots"},
    "metric_children": {"sq": "Hotspote fëmijësh në rrugë", "en": "Street-children hotspots"},
    "metric_unlocated": {"sq": "Pa vendndodhje", "en": "Without a location"},
    "no_people": {"sq": "Kjo aplikacion harton vende, jo persona: asnjë e dhënë për viktima apo individë nuk futet këtu.", "en": "This app maps places, not people: no data about victims or individuals enters it."},
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
