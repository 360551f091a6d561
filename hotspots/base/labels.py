"""Codes the app stores (a category, a status, a column name …) and the message ids of their labels.

Explicit maps, one per kind of code, instead of keys built at run time (``"cat_" + code``): the
extractor (``make translations``) finds every id, a typo is a missing key the translation test
reports, and ``tests/test_translations.py`` checks each enum of the model has a label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from hotspots.base import settings
from hotspots.base.i18n import N_, Nn_, t, tn
from hotspots.base.missing import int_or_none


def label(labels: Mapping[str, str], code: object, lang: str, /, **params: Any) -> str:
    """Return the label of ``code`` in ``lang``; a code the map does not know is shown as it is.

    Examples
    --------
    >>> label(CATEGORY, "crime", "en"), label(CATEGORY, "unknown", "en")
    ('Crime / drugs (1.7)', 'unknown')
    """
    key = labels.get(str(code))
    return str(code) if key is None else t(key, lang, **params)


def hotspot_names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Return each row's hotspot name in ``lang``: the English name in English where given, else the plan's.

    Hotspot names exist in Albanian and English only; other languages show the name as the plan writes it.

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ["Kalaja", "Tregu"], "name_en": ["The castle", None]})
    >>> list(hotspot_names(frame, "en")), list(hotspot_names(frame, "sq"))
    (['The castle', 'Tregu'], ['Kalaja', 'Tregu'])
    """
    names = frame["name"].astype(str)
    if lang != "en" or "name_en" not in frame:
        return names
    english = frame["name_en"].fillna("").astype(str)
    return english.where(english.str.strip() != "", names)


def counted(labels: Mapping[str, str], code: object, n: int, lang: str, /, **params: Any) -> str:
    """Return the label of ``code`` for the number ``n`` (its plural form in ``lang``).

    Examples
    --------
    >>> counted(SENTENCE, "resolved", 2, "en")
    '2 resolved'
    """
    key = labels.get(str(code))
    return str(code) if key is None else tn(key, n, lang, **params)


#: Hotspot category (:class:`hotspots.plan.model.Category`).
CATEGORY: dict[str, str] = {"crime": N_("cat_crime"), "street_children": N_("cat_street_children")}

#: Priority of a plan problem (:class:`hotspots.plan.model.Priority`).
PRIORITY: dict[str, str] = {"high": N_("prio_high"), "moderate": N_("prio_moderate"), "low": N_("prio_low")}

#: Location grade (:class:`hotspots.plan.model.LocationQuality`).
QUALITY: dict[str, str] = {
    "exact": N_("q_exact"), "landmark": N_("q_landmark"), "approximate": N_("q_approximate"),
    "unlocated": N_("q_unlocated"),
}

#: Status of a hotspot in a period.
STATUS: dict[str, str] = {"active": N_("st_active"), "resolved": N_("st_resolved"), "removed": N_("st_removed")}

#: Progress of a plan activity.
ACTIVITY_STATUS: dict[str, str] = {
    "not_started": N_("as_not_started"), "in_progress": N_("as_in_progress"), "done": N_("as_done"),
    "not_applicable": N_("as_not_applicable"),
}

#: Map layer.
LAYER: dict[str, str] = {
    "boundary": N_("layer_boundary"), "units": N_("layer_units"), "hotspots": N_("layer_hotspots"),
    "heat": N_("layer_heat"), "cluster": N_("layer_cluster"), "landmarks": N_("layer_landmarks"),
    "cameras": N_("layer_cameras"), "coverage": N_("layer_coverage"), "sites": N_("layer_sites"),
    "cannabis": N_("layer_cannabis"), "schools": N_("layer_schools"), "cannabis_staff": N_("layer_cannabis_staff"),
}

#: Account role.
ROLE: dict[str, str] = {
    "analyst": N_("role_analyst"), "council": N_("role_council"), "staff": N_("role_staff"),
    "admin": N_("role_admin"),
}

#: Review outcome chosen by staff.
OUTCOME: dict[str, str] = {
    "persists": N_("out_persists"), "moved": N_("out_moved"), "resolved": N_("out_resolved"),
    "removed": N_("out_removed"), "refined": N_("out_refined"),
}

#: What a save did.
RESULT: dict[str, str] = {
    "added": N_("res_added"), "observed": N_("res_observed"), "updated": N_("res_updated"),
    "unchanged": N_("res_unchanged"), "edit": N_("res_edit"),
}

#: What staff do on the update page.
ACTION: dict[str, str] = {"review": N_("act_review"), "place": N_("act_place"), "edit": N_("act_edit")}

#: Owner of a camera.
OWNER: dict[str, str] = {
    "municipality": N_("ow_municipality"), "police": N_("ow_police"), "private": N_("ow_private"),
    "unknown": N_("ow_unknown"),
}

#: Status of a camera.
CAMERA_STATUS: dict[str, str] = {
    "working": N_("cs_working"), "broken": N_("cs_broken"), "planned": N_("cs_planned"),
    "unverified": N_("cs_unverified"),
}

#: Risk level of a cannabis zone.
RISK: dict[str, str] = {"high": N_("risk_high"), "medium": N_("risk_medium"), "low": N_("risk_low")}

#: Camera coverage class of a hotspot.
COVERAGE: dict[str, str] = {
    "covered": N_("cov_covered"), "partly": N_("cov_partly"), "not": N_("cov_not"), "unlocated": N_("cov_unlocated"),
}

#: Why an incident row was refused.
INCIDENT_REASON: dict[str, str] = {
    "date": N_("inc_reason_date"), "offence": N_("inc_reason_offence"), "coordinates": N_("inc_reason_coordinates"),
    "outside": N_("inc_reason_outside"), "reference_repeated": N_("inc_reason_reference_repeated"),
    "no_place": N_("inc_reason_no_place"), "reference_shape": N_("inc_reason_reference_shape"),
    "text_id_number": N_("inc_reason_text_id_number"), "text_phone": N_("inc_reason_text_phone"),
    "text_date": N_("inc_reason_text_date"), "text_personal_word": N_("inc_reason_text_personal_word"),
}

#: Why a column looks like data about people (the reasons of ``personal_columns`` in ``geodata/incidents.yaml``).
PERSONAL_REASON: dict[str, str] = {
    "name": N_("inc_personal_name"), "father": N_("inc_personal_father"), "birth": N_("inc_personal_birth"),
    "id_number": N_("inc_personal_id_number"), "phone": N_("inc_personal_phone"), "email": N_("inc_personal_email"),
    "home_address": N_("inc_personal_home_address"), "person": N_("inc_personal_person"),
}

#: What incident counts are grouped by.
INCIDENT_BY: dict[str, str] = {"hotspot": N_("inc_by_hotspot"), "unit": N_("inc_by_unit"), "cell": N_("inc_by_cell")}

#: Time step of incident counts.
INCIDENT_EVERY: dict[str, str] = {
    "half": N_("inc_every_half"), "quarter": N_("inc_every_quarter"), "month": N_("inc_every_month"),
}

#: Time step of the emerging hot-spot analysis.
EHSA_STEP: dict[str, str] = {"month": N_("ehsa_step_month"), "quarter": N_("ehsa_step_quarter")}

#: Reading of a weighted displacement quotient.
DISPLACEMENT_READING: dict[str, str] = {
    "displacement": N_("disp_reading_displacement"), "diffusion": N_("disp_reading_diffusion"),
    "no_effect": N_("disp_reading_no_effect"), "no_success": N_("disp_reading_no_success"),
    "too_few": N_("disp_reading_too_few"),
}

#: A designated hotspot against the Gi* evidence.
GI_STATUS: dict[str, str] = {"confirmed": N_("gi_status_confirmed"), "not_supported": N_("gi_status_not_supported")}

#: Column of a hotspot, history or review table.
COLUMN: dict[str, str] = {
    "id": N_("col_id"), "name": N_("col_name"), "name_en": N_("col_name_en"), "category": N_("col_category"),
    "unit": N_("col_unit"), "status": N_("col_status"), "location_quality": N_("col_location_quality"),
    "location_source": N_("col_location_source"), "period": N_("col_period"), "problem": N_("col_problem"),
    "notes": N_("col_notes"), "at": N_("col_at"), "author": N_("col_author"), "action": N_("col_action"),
    "before": N_("col_before"), "after": N_("col_after"), "moved_from": N_("col_moved_from"), "role": N_("col_role"),
    "related": N_("col_related"), "p_value": N_("col_p_value"), "series": N_("col_series"),
    "activity": N_("col_activity"), "class": N_("col_class"), "distance_m": N_("col_distance_m"),
    "direction": N_("col_direction"), "unit_before": N_("col_unit_before"), "unit_after": N_("col_unit_after"),
    "event": N_("col_event"), "trend": N_("col_trend"), "created_at": N_("col_created_at"),
    "change": N_("col_change"), "unit_short": N_("col_unit_short"), "recorded_in": N_("col_recorded_in"),
    "share": N_("col_share"), "coverage_class": N_("col_coverage_class"),
}

#: Header of the hotspot CSV export.
CSV_HEADER: dict[str, str] = {
    "id": N_("csv_id"), "name": N_("csv_name"), "name_en": N_("csv_name_en"), "category": N_("csv_category"),
    "problem": N_("csv_problem"), "unit": N_("csv_unit"), "unit_source": N_("csv_unit_source"),
    "plan_unit": N_("csv_plan_unit"), "period": N_("csv_period"), "status": N_("csv_status"),
    "location_quality": N_("csv_location_quality"), "location_source": N_("csv_location_source"),
    "description": N_("csv_description"), "notes": N_("csv_notes"), "activities": N_("csv_activities"),
    "dataset": N_("csv_dataset"), "lat": N_("csv_lat"), "lon": N_("csv_lon"), "wkt": N_("csv_wkt"),
}

#: Column of an incident table.
INCIDENT_COLUMN: dict[str, str] = {
    "id": N_("inc_col_id"), "name": N_("inc_col_name"), "period": N_("inc_col_period"), "total": N_("inc_col_total"),
    "unit": N_("inc_col_unit"), "row": N_("inc_col_row"), "outcome": N_("inc_col_outcome"),
    "reason": N_("inc_col_reason"), "value": N_("inc_col_value"), "hotspots": N_("inc_col_hotspots"),
    "incidents": N_("inc_col_incidents"), "inside": N_("inc_col_inside"), "hit_rate": N_("inc_col_hit_rate"),
    "area_km2": N_("inc_col_area_km2"), "area_share": N_("inc_col_area_share"), "pai": N_("inc_col_pai"),
    "in": N_("inc_col_in"), "problem": N_("col_problem"),
}

#: Column of a Gi* table.
GI_COLUMN: dict[str, str] = {
    "id": N_("gi_col_id"), "name": N_("gi_col_name"), "status": N_("gi_col_status"),
    "confidence": N_("gi_col_confidence"), "where": N_("gi_col_where"), "cells": N_("gi_col_cells"),
    "source": N_("gi_col_source"), "unit": N_("gi_col_unit"), "label": N_("gi_col_label"),
    "cells_by_label": N_("gi_col_cells_by_label"), "before": N_("gi_col_before"), "after": N_("gi_col_after"),
    "target": N_("gi_col_target"), "buffer": N_("gi_col_buffer"), "wdq": N_("gi_col_wdq"),
    "reading": N_("gi_col_reading"), "control": N_("gi_col_control"), "p": N_("gi_col_p_target"),
}

#: Kind of landmark.
LANDMARK: dict[str, str] = {
    "place_of_worship": N_("lm_place_of_worship"), "school": N_("lm_school"), "marketplace": N_("lm_marketplace"),
    "bus_station": N_("lm_bus_station"), "library": N_("lm_library"), "fuel": N_("lm_fuel"),
    "pharmacy": N_("lm_pharmacy"), "bank": N_("lm_bank"), "cemetery": N_("lm_cemetery"), "mall": N_("lm_mall"),
    "supermarket": N_("lm_supermarket"), "village": N_("lm_village"),
}

#: Class of a hotspot between two reviews, and the columns of the per-unit change table.
REVIEW_CLASS: dict[str, str] = {
    "new": N_("rv_new"), "persistent": N_("rv_persistent"), "moved": N_("rv_moved"), "refined": N_("rv_refined"),
    "resolved": N_("rv_resolved"), "removed": N_("rv_removed"), "reappeared": N_("rv_reappeared"),
    "not_reviewed": N_("rv_not_reviewed"), "before": N_("rv_before"), "after": N_("rv_after"),
    "closed_ok": N_("rv_closed_ok"), "reopened_ok": N_("rv_reopened_ok"), "unit": N_("rv_unit"),
}

#: Trend label of a presence or count series.
TREND: dict[str, str] = {
    "all_periods": N_("tr_all_periods"), "falling": N_("tr_falling"), "never": N_("tr_never"),
    "no_trend": N_("tr_no_trend"), "not_in_latest": N_("tr_not_in_latest"), "not_testable": N_("tr_not_testable"),
    "on_and_off": N_("tr_on_and_off"), "only_latest": N_("tr_only_latest"), "rising": N_("tr_rising"),
    "unbroken_recent": N_("tr_unbroken_recent"), "withheld": N_("tr_withheld"),
}

#: Gi* class of a cell.
GI_CLASS: dict[str, str] = {
    "hot_99": N_("gi_hot_99"), "hot_95": N_("gi_hot_95"), "hot_90": N_("gi_hot_90"),
    "not_significant": N_("gi_not_significant"), "cold_90": N_("gi_cold_90"), "cold_95": N_("gi_cold_95"),
    "cold_99": N_("gi_cold_99"), "no_incidents": N_("gi_no_incidents"),
}

#: Emerging hot-spot category of a cell.
EHSA_CLASS: dict[str, str] = {
    "new": N_("ehsa_new"), "consecutive": N_("ehsa_consecutive"), "intensifying": N_("ehsa_intensifying"),
    "persistent": N_("ehsa_persistent"), "diminishing": N_("ehsa_diminishing"), "sporadic": N_("ehsa_sporadic"),
    "oscillating": N_("ehsa_oscillating"), "historical": N_("ehsa_historical"), "cold_new": N_("ehsa_cold_new"),
    "cold_consecutive": N_("ehsa_cold_consecutive"), "cold_intensifying": N_("ehsa_cold_intensifying"),
    "cold_persistent": N_("ehsa_cold_persistent"), "cold_diminishing": N_("ehsa_cold_diminishing"),
    "cold_sporadic": N_("ehsa_cold_sporadic"), "cold_oscillating": N_("ehsa_cold_oscillating"),
    "cold_historical": N_("ehsa_cold_historical"), "no_pattern": N_("ehsa_no_pattern"),
}

#: Action of a history row (as stored) -> its words; other actions are shown as stored.
HISTORY_ACTION: dict[str, str] = {
    "add": N_("hist_add"), "baseline": N_("hist_baseline"), "import": N_("hist_import"), "update": N_("hist_update"),
    "place": N_("hist_place_action"), "edit": N_("hist_edit"), "units": N_("hist_units"), "set": N_("hist_set"),
    "demo load": N_("hist_demo_load"), "demo unload": N_("hist_demo_unload"),
    "review:persists": N_("hist_review_persists"), "review:moved": N_("hist_review_moved"),
    "review:resolved": N_("hist_review_resolved"), "review:removed": N_("hist_review_removed"),
}

#: Where a reviewed hotspot's new place came from (a move or a refinement clicked on the map).
REVIEW_SOURCE: dict[str, str] = {"moved": N_("source_moved"), "refined": N_("source_refined")}
#: Class of a hotspot in a unit's sentence, counted (plural forms).
SENTENCE: dict[str, str] = {
    "new": Nn_("sent_new"), "resolved": Nn_("sent_resolved"), "persistent": Nn_("sent_persistent"),
    "refined": Nn_("sent_refined"), "reappeared": Nn_("sent_reappeared"), "removed": Nn_("sent_removed"),
    "not_reviewed": Nn_("sent_not_reviewed"),
}


def unit_words(unit: object, lang: str) -> str:
    """Return a unit's name in ``lang`` from the municipality's folder ("Lagjja nr. 3"), or "" for no unit.

    A number the folder does not name (a record kept from an older unit layer) is written
    with the catalog's ``unit_n``.

    Examples
    --------
    >>> unit_words(3, "sq"), unit_words("2", "en"), unit_words(None, "en")
    ('Lagjja nr. 3', 'Unit no. 2', '')
    """
    number = int_or_none(unit)
    if number is None:
        return ""
    unit = settings.MUNICIPALITY.unit(number)
    return unit.name_in(lang) if unit is not None else t("unit_n", lang, n=number)


def unit_short(unit: int, lang: str) -> str:
    """Return a unit's short label on the map ("No. 3"), from the municipality's folder.

    Examples
    --------
    >>> unit_short(3, "sq"), unit_short(3, "en")
    ('Nr. 3', 'No. 3')
    """
    found = settings.MUNICIPALITY.unit(int(unit))
    return found.short_in(lang) if found is not None else str(unit)
