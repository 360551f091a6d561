"""Tables of the plan's other places for people: headers and coded values in the reader's language.

The analysis functions (:mod:`hotspots.cameras`, :mod:`hotspots.cannabis`,
:mod:`hotspots.schools`, :mod:`hotspots.siting`) return tables with stable column names and
codes (``admin_unit``, ``risk = high``), which the command line and the tests read. The pages
show them through :func:`for_people`: the same rows, headers and codes translated.
"""

from __future__ import annotations

import pandas as pd

from hotspots.i18n import TEXT, t

#: Column name -> the text key of its header.
HEADERS: dict[str, str] = {
    "name": "pc_name", "admin_unit": "pc_admin_unit", "zones": "pc_zones", "years": "pc_years",
    "series": "col_series", "s": "pc_s", "p_value": "col_p_value", "min_p": "pc_min_p", "label": "col_trend",
    "unit": "col_unit_short", "category": "col_category", "covered": "cov_covered", "partly": "cov_partly",
    "not": "cov_not", "unlocated": "cov_unlocated", "total": "pc_total", "period": "col_period",
    "owner": "cam_owner", "status": "cam_status", "radius_m": "cam_radius", "direction": "pc_direction",
    "angle": "pc_angle", "location_quality": "col_location_quality", "source": "pc_source", "notes": "col_notes",
    "risk": "zn_risk", "lat": "lat", "lon": "lon", "site": "pc_site", "weight": "pc_weight",
    "hotspots": "pc_hotspots", "school_id": "pc_school_id", "school": "pc_school", "activities": "pc_activities",
    "hotspot_id": "pc_hotspot_id", "hotspot": "pc_hotspot", "distance_m": "col_distance_m", "near": "pc_near",
    "area_ha": "pc_area_ha", "retired_at": "pc_retired_at", "retired_reason": "pc_retired_reason",
    "updated_at": "pc_updated_at", "updated_by": "col_author",
}
#: Column name -> the text keys of its codes: a prefix (``risk`` high -> ``risk_high``) or,
#: for the newer columns, an explicit map (which a key finder can read).
CODES: dict[str, str | dict[str, str]] = {
    "category": "cat_", "owner": "ow_", "status": "cs_", "risk": "risk_", "location_quality": "q_",
    "label": {"rising": "zn_trend_rising", "falling": "zn_trend_falling", "no_trend": "zn_trend_no_trend",
              "not_testable": "zn_trend_not_testable"},
    "near": {"true": "pc_near_true", "false": "pc_near_false"},
}


def _code(keys: str | dict[str, str], value: object, lang: str) -> object:
    text = str(value).lower()  # True (numpy's too) -> "true"
    if isinstance(keys, dict):
        return t(keys[text], lang) if text in keys else value
    for key in (f"{keys}{value}", f"{keys}{text}"):
        if key in TEXT:
            return t(key, lang)
    return value


def for_people(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return ``table`` with its known headers and coded values in ``lang`` (``id`` columns unchanged).

    Examples
    --------
    >>> for_people(pd.DataFrame({"admin_unit": ["Shirgjan"], "risk": ["high"]}), "en").to_dict("records")
    [{'Administrative unit': 'Shirgjan', 'Risk level': 'high risk'}]
    """
    out = table.copy()
    if "unit" in out.columns:  # a hot zone outside lagje 1–6 has no unit: a dash, not "None"
        out["unit"] = pd.Series([("—" if pd.isna(u) else str(int(u))) for u in out["unit"]], index=out.index, dtype=object)
    if "distance_m" in out.columns:  # whole metres (st.table would print 132.0000)
        out["distance_m"] = out["distance_m"].round().astype("Int64")
    for column, prefix in CODES.items():
        if column in out.columns:
            out[column] = pd.Series([_code(prefix, v, lang) for v in out[column]], index=out.index, dtype=object)
    return out.rename(columns={c: t(HEADERS[c], lang) for c in out.columns if c in HEADERS})
