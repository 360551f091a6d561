"""The evidence as the review page and the pack show it: slim tables with headers in words, the curve, the pack's page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from hotspots.base.i18n import N_, t
from hotspots.base.labels import unit_words
from hotspots.evidence import concentration, harm, hotspot_detection, service, shown
from hotspots.incidents import table as incident_table
from hotspots.plan.store import Store


if TYPE_CHECKING:
    from fpdf import FPDF

#: The pack's table writer (:func:`hotspots.review.pdf._pdf_table`): ``table(pdf, frame, size=…)``.
TableWriter = Callable[..., None]


#: Header of each column the page and the pack show.
HEADERS: dict[str, str] = {
    "group": N_("ev_col_group"), "incidents": N_("ev_col_incidents"), "top_1": N_("ev_col_top_1"),
    "top_5": N_("ev_col_top_5"), "top_10": N_("ev_col_top_10"), "area_for_half": N_("ev_col_area_for_half"),
    "zones": N_("ev_col_zones"), "hit_rate": N_("ev_col_hit_rate"), "area_share": N_("ev_col_area_share"),
    "pai": N_("ev_col_pai"), "rri": N_("ev_col_rri"), "jaccard": N_("ev_col_jaccard"), "unit": N_("col_unit"),
    "now": N_("ev_col_now"), "last_change": N_("ev_col_last_change"), "last_reading": N_("ev_col_last_reading"),
    "year_change": N_("ev_col_year_change"), "year_reading": N_("ev_col_year_reading"),
    "average_change": N_("ev_col_average_change"), "average_reading": N_("ev_col_average_reading"),
}
#: A CompStat reading in words.
READINGS: dict[str, str] = {"up": N_("ev_reading_up"), "down": N_("ev_reading_down"), "chance": N_("ev_reading_chance"),
                             "withheld": N_("ev_reading_withheld")}
#: Points of the curve shown (per cent of cells).
CURVE_PERCENTS: tuple[float, ...] = (0, 1, 2, 5, 10, 20, 30, 50, 75, 100)


@dataclass(frozen=True)
class Evidence:
    """The four measures of one review, as ``role`` sees them."""

    period: str
    forecast_period: str
    concentration: pd.DataFrame
    curve: pd.DataFrame
    forecast: pd.DataFrame
    compstat: pd.DataFrame
    near_repeat: list[str]
    measure: str


def build(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, period: str, *, role: str | None, lang: str,
          measure: str = "count", permutations: int = 999, seed: int = 0) -> Evidence:
    """Return the evidence of a review ending in ``period``: zones named in the period before it scored on it."""
    before = service.previous_period(period)
    conc = service.concentration_table(incidents, period, role=role, measure=measure)
    return Evidence(period, before, conc, curve_points(incidents, period, role=role, measure=measure),
                    service.forecast_table(incidents, observations, before, role=role),
                    service.compstat_table(incidents, period, role=role),
                    service.near_repeat_sentences(incidents, period, lang, role=role, permutations=permutations, seed=seed),
                    measure)


def curve_points(incidents: gpd.GeoDataFrame, period: str, *, role: str | None, measure: str = "count") -> pd.DataFrame:
    """Return the concentration curve of all incidents at :data:`CURVE_PERCENTS` (``cells``, ``incidents`` in per cent).

    Only a few points are given, each read from the whole curve, and a point resting on 1 to 4
    incidents is withheld for council and the public.
    """
    chosen = hotspot_detection.in_period(incidents, service.whole_period(period))
    values = concentration.cell_totals(hotspot_detection.make_grid(), chosen, harm.weights_for(chosen, measure))
    held = [concentration.share_in_top(values, p) if values.sum() > 0 else 0.0 for p in CURVE_PERCENTS]
    frame = pd.DataFrame({"cells": list(CURVE_PERCENTS), "incidents": [round(100 * h, 1) for h in held],
                          "n": len(chosen)})
    frame["share"] = [h for h in held]
    frame = shown.shares_of(shown.ratios(frame, ["incidents"], "n", role), ["share"], "n", role)
    return frame[frame["share"].notna() & frame["incidents"].notna()][["cells", "incidents"]].reset_index(drop=True)


def _pct(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{100 * float(value):.1f} %"


def concentration_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the concentration table with groups in words, shares in per cent and headers in ``lang``."""
    out = table[["group", "incidents", "top_1", "top_5", "top_10", "area_for_half"]].copy()
    out["group"] = [service.group_name(str(g), lang) for g in out["group"]]
    for c in ("top_1", "top_5", "top_10", "area_for_half"):
        out[c] = [_pct(v) for v in out[c]]
    return _headed(out, lang)


def forecast_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the forecast scores: group, zones, hit rate, area share, PAI, RRI, Jaccard of the hot cells."""
    out = table[["offence", "problem", "zones", "hit_rate", "area_share", "pai", "rri", "jaccard"]].copy()
    out.insert(0, "group", [service.group_name(str(o if o != "all" else p), lang)
                            for o, p in zip(out.pop("offence"), out.pop("problem"), strict=True)])
    for c in ("hit_rate", "area_share"):
        out[c] = [_pct(v) for v in out[c]]
    for c in ("pai", "rri", "jaccard"):
        out[c] = ["" if v is None or pd.isna(v) else f"{float(v):.2f}" for v in out[c]]
    return _headed(out, lang)


def compstat_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the CompStat table: unit, now, and per comparison the change in per cent and its reading in words."""
    columns = ["unit", "now"] + [f"{c}_{x}" for c in ("last", "year", "average") for x in ("change", "reading")]
    out = table[columns].copy()
    out["unit"] = [t("no_unit", lang) if u == "none" else unit_words(u, lang) for u in out["unit"]]
    for c in ("last", "year", "average"):
        out[f"{c}_change"] = ["" if v is None or pd.isna(v) else f"{float(v):+.0f} %" for v in out[f"{c}_change"]]
        out[f"{c}_reading"] = [t(READINGS[str(r)], lang) for r in out[f"{c}_reading"]]
    return _headed(out, lang)


def _headed(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    return table.rename(columns={c: t(HEADERS[c], lang) for c in table.columns if c in HEADERS}).reset_index(drop=True)


def lines(evidence: Evidence, lang: str) -> dict[str, list[str]]:
    """Return per measure (``concentration``, ``forecast``, ``compstat``, ``near_repeat``) its method, then its sentences."""
    conc = evidence.concentration[evidence.concentration["group"].isin(["all", "1.7", "1.10"])]
    measure = f"{t('ev_measure', lang)}: {service.measure_label(evidence.measure, lang)}"
    return {"concentration": [t("ev_conc_method", lang), measure,
                              *service.concentration_sentences(conc, lang)],
            "forecast": [t("ev_fc_method", lang, period=evidence.forecast_period, next=evidence.period),
                         *service.forecast_sentences(evidence.forecast, lang)],
            "compstat": [t("ev_cs_method", lang), *service.compstat_sentences(evidence.compstat, lang)],
            "near_repeat": [t("ev_nr_method", lang), *(evidence.near_repeat or [t("ev_nr_too_few", lang,
                                                                                      n=service.NEAR_REPEAT_MIN)])]}


#: Title of each measure.
TITLES: dict[str, str] = {"concentration": N_("ev_conc_title"), "forecast": N_("ev_fc_title"),
                          "compstat": N_("ev_cs_title"), "near_repeat": N_("ev_nr_title")}


def pack_page(pdf: FPDF, evidence: Evidence, lang: str, *, table: TableWriter) -> None:
    """Add the evidence page of the review pack: per measure its title, method, sentences; the CompStat table.

    ``table`` is the pack's table writer (:func:`hotspots.review.pdf._pdf_table`).
    """
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, t("ev_section", lang, period=evidence.period), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=8)
    pdf.multi_cell(0, 4.5, t("ev_disclosure", lang), new_x="LMARGIN", new_y="NEXT")
    for key, texts in lines(evidence, lang).items():
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(0, 6, t(TITLES[key], lang), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=7)
        pdf.multi_cell(0, 3.8, texts[0], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=8.5)
        for text in texts[1:]:
            pdf.multi_cell(0, 4.4, text, new_x="LMARGIN", new_y="NEXT")
        if key == "compstat":
            table(pdf, compstat_view(evidence.compstat, lang), size=6)


def add_to_pack(pdf: FPDF, store: Store, period: str, *, lang: str, dataset: str, suppress: bool, table: TableWriter) -> None:
    """Add the evidence page of ``period`` to the pack (nothing without incidents); ``suppress``: as council sees it."""
    incidents = incident_table.read(store, dataset=dataset)
    if incidents.empty:
        return
    evidence = build(incidents, store.hotspots(dataset=dataset), period, role="council" if suppress else "analyst",
                     lang=lang)
    pack_page(pdf, evidence, lang, table=table)
