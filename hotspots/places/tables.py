"""Tables of the plan's other places for people: headers and coded values in the reader's language.

The analysis functions (:mod:`hotspots.places.cameras`, :mod:`hotspots.places.cannabis`,
:mod:`hotspots.places.schools`, :mod:`hotspots.places.siting`) return tables with stable column names and
codes (``admin_unit``, ``risk = high``), which the command line and the tests read. The pages
show them through :func:`for_people`: the same rows, headers and codes translated.
"""

from __future__ import annotations

import pandas as pd

from hotspots.base.i18n import N_, t
from hotspots.base.labels import CAMERA_STATUS, CATEGORY, OWNER, QUALITY, RISK


#: Column name -> the text key of its header.
HEADERS: dict[str, str] = {
    "name": N_("pc_name"), "admin_unit": N_("pc_admin_unit"), "zones": N_("pc_zones"), "years": N_("pc_years"),
    "series": N_("col_series"), "s": N_("pc_s"), "p_value": N_("col_p_value"), "min_p": N_("pc_min_p"), "label": N_("col_trend"),
    "unit": N_("col_unit_short"), "category": N_("col_category"), "covered": N_("cov_covered"), "partly": N_("cov_partly"),
    "not": N_("cov_not"), "unlocated": N_("cov_unlocated"), "total": N_("pc_total"), "period": N_("col_period"),
    "owner": N_("cam_owner"), "status": N_("cam_status"), "radius_m": N_("cam_radius"), "direction": N_("pc_direction"),
    "angle": N_("pc_angle"), "location_quality": N_("col_location_quality"), "source": N_("pc_source"), "notes": N_("col_notes"),
    "risk": N_("zn_risk"), "lat": N_("lat"), "lon": N_("lon"), "site": N_("pc_site"), "weight": N_("pc_weight"),
    "hotspots": N_("pc_hotspots"), "school_id": N_("pc_school_id"), "school": N_("pc_school"), "activities": N_("pc_activities"),
    "hotspot_id": N_("pc_hotspot_id"), "hotspot": N_("pc_hotspot"), "distance_m": N_("col_distance_m"), "near": N_("pc_near"),
    "area_ha": N_("pc_area_ha"), "retired_at": N_("pc_retired_at"), "retired_reason": N_("pc_retired_reason"),
    "updated_at": N_("pc_updated_at"), "updated_by": N_("col_author"),
}
#: Column name -> the labels of its codes (:mod:`hotspots.base.labels`).
CODES: dict[str, dict[str, str]] = {
    "category": CATEGORY, "owner": OWNER, "status": CAMERA_STATUS, "risk": RISK, "location_quality": QUALITY,
    "label": {"rising": N_("zn_trend_rising"), "falling": N_("zn_trend_falling"), "no_trend": N_("zn_trend_no_trend"),
              "not_testable": N_("zn_trend_not_testable")},
    "near": {"true": N_("pc_near_true"), "false": N_("pc_near_false")},
}


def _code(keys: dict[str, str], value: object, lang: str) -> object:
    key = keys.get(str(value)) or keys.get(str(value).lower())  # True (numpy's too) -> "true"
    return value if key is None else t(key, lang)


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
