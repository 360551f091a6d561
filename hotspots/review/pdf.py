"""The review pack: one PDF per review with the plan, the units, the maps, the incidents and the evidence."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from hotspots.base import settings
from hotspots.base.i18n import t
from hotspots.base.labels import CATEGORY, label, unit_words
from hotspots.evidence import gi_views
from hotspots.evidence import service as evidence_service
from hotspots.evidence import views as evidence_views
from hotspots.incidents import counts, disclosure
from hotspots.incidents import service as incident_service
from hotspots.places import cameras, coverage
from hotspots.plan import editing, model, units, versions
from hotspots.plan.store import Store
from hotspots.review.maps import not_drawn, review_features, static_unit_map
from hotspots.review.review import Review, _linked_problems, build_review, completeness_line, event_sentences
from hotspots.review.review import incident_hotspot_table, incident_trend_table, problem_status, unit_tables


if TYPE_CHECKING:
    from fpdf import FPDF


def _font_path(bold: bool = False) -> Path:
    """Return a TTF font with Albanian letters (DejaVu Sans, shipped with matplotlib)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


def _pdf(draft: str | None) -> FPDF:
    """Return an A4 PDF whose every page carries ``draft`` (when given) in red at the top."""
    from fpdf import FPDF

    class Pack(FPDF):
        def header(self) -> None:
            if draft:
                self.set_font("DejaVu", "B", 11)
                self.set_text_color(190, 0, 0)
                self.cell(0, 6, draft, align="C", new_x="LMARGIN", new_y="NEXT")
                self.set_text_color(0, 0, 0)
                self.set_font("DejaVu", "", 10)

    pdf = Pack(format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.add_font("DejaVu", "", str(_font_path()))
    pdf.add_font("DejaVu", "B", str(_font_path(bold=True)))
    pdf.set_font("DejaVu", size=10)
    return pdf


#: Most rows a long list of hotspots takes in the pack; the rest is counted under it (the page exports all).
PACK_MAX_ROWS = 60


def _pdf_table(pdf: FPDF, table: pd.DataFrame, *, size: int = 8, max_rows: int | None = None,
               lang: str = "sq") -> None:
    """Write a DataFrame as a real table (header row, one cell per value).

    With ``max_rows``, only the first rows are written and a line under the table says how
    many more there are (a pack of 10,000 hotspots stays a few pages).
    """
    shown = table if max_rows is None else table.head(max_rows)
    pdf.set_font("DejaVu", size=size)
    with pdf.table(text_align="LEFT", line_height=size * 0.55, first_row_as_headings=True) as out:
        out.row([str(c) for c in shown.columns])
        for values in shown.itertuples(index=False):
            out.row(["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in values])
    if len(shown) < len(table):
        pdf.multi_cell(0, 5, t("pack_more_rows", lang, n=len(table) - len(shown)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def review_pack(store: Store, a: str, b: str, *, lang: str = "sq", dataset: str = "real",
                suppress_counts: bool = True) -> bytes:
    """Return the review pack as PDF bytes.

    The completeness line, per category the unit tables, the sentences, then per unit a static
    map with its legend, its tables and the linked activities' status. Every page says DRAFT
    while the review of ``b`` is not closed.

    With incident records, a section gives each hotspot's incidents in both periods and the
    per-unit incident trends; with ``suppress_counts`` (the default: the pack is the
    council's document) counts from 1 to 4 read "<5".
    """
    version, plan, last_change = versions.review_plan(store, b, dataset=dataset)  # the plan the review cites
    incidents, observations = incident_service.read_with_hotspots(store, dataset=dataset)  # every section shares them
    review = build_review(observations, a, b)
    state = editing.review_state(store, b, dataset=dataset)
    layer = units.load_units()
    pdf = _pdf(None if state["closed"] else t("pack_draft", lang, period=b))
    pdf.set_title(f"{t('pack_title', lang)} {a} - {b}")

    def line(text: str, size: int = 10, height: float = 5.5) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    line(plan.title(lang), 14, 7)
    line(f"{t('pack_title', lang)}: {a} → {b}", 12, 7)
    if review.example:
        line(t("note_example", lang), 12, 7)
    line(completeness_line(review, lang), 10)
    if state["closed"]:
        line(t("rv_closed_by", lang, who=state["updated_by"], at=state["updated_at"]), 9)
        if state["reason"]:
            line(t("rv_closed_reason", lang, reason=state["reason"]), 9)
    line(t("approx_units_banner", lang) if units.units_are_approximate(layer) else "", 8)
    line(f"{t('plan_source', lang)}. {settings.OSM_ATTRIBUTION}.", 8)
    line(versions.citation(version, last_change, versions.changes(store, version.number), lang), 8)
    for category, table in unit_tables(review, lang).items():
        line(t("rv_category_table", lang, category=label(CATEGORY, category, lang)), 10, 6)
        _pdf_table(pdf, table, size=6)
    for sentence in [*review.sentences(lang), *event_sentences(review, lang)]:
        line(sentence, 9)
    _incident_section(pdf, store, review, incidents, dataset=dataset, lang=lang, suppress=suppress_counts)
    for text in _evidence_lines(store, b, lang, observations, incidents, dataset=dataset, protect=suppress_counts):
        line(text, 9)

    evidence_views.add_to_pack(pdf, store, b, lang=lang, dataset=dataset, suppress=suppress_counts, table=_pdf_table)
    for unit in settings.UNIT_NUMBERS:
        pdf.add_page()
        line(unit_words(unit, lang), 13, 7)
        features = review_features(review, lang, unit=unit)
        pdf.image(io.BytesIO(static_unit_map(review, unit, layer, lang, features=features)), w=180)
        hidden = not_drawn(review, unit=unit, features=features)
        if hidden:
            line(t("rv_not_drawn", lang, n=len(hidden), ids=", ".join(hidden)), 8)
        for category, table in unit_tables(review, lang, unit=unit).items():
            line(t("rv_category_table", lang, category=label(CATEGORY, category, lang)), 9, 5)
            _pdf_table(pdf, table, size=6)
        for sentence in review.sentences(lang, unit=unit) or [f"{t('unit_n', lang, n=unit)}: {t('sent_nothing', lang)}"]:
            line(sentence, 10)
        linked = _linked_problems(review, unit)
        if linked:
            _pdf_table(pdf, problem_status(store, plan, [a, b], lang, linked), size=6)
    # --- cameras (1.7.2) ---
    _pack_cameras(pdf, store, b, observations, lang=lang)
    return bytes(pdf.output())


# --- the cameras page of the review pack ------------------------------------------
def _pack_cameras(pdf: FPDF, store: Store, period: str, observations: gpd.GeoDataFrame, *, lang: str) -> None:
    """Add the page on cameras (activity 1.7.2).

    The coverage figures of ``period`` and the hot zones without a working camera, as the plan
    page shows them.
    """
    model.check_period(period)
    registered = cameras.read_cameras(store)
    table = coverage.coverage(observations, registered, period=period)  # as places.coverage_for, on the frame read once
    figures = coverage.summary(table, registered)
    missing = coverage.without_camera(table)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, t("pack_cameras_title", lang, period=period), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    for text in (t("pl_places_figures", lang, **figures), t("cam_period_note", lang, period=period)):
        pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 5.5, t("pl_without_camera", lang), new_x="LMARGIN", new_y="NEXT")
    if missing.empty:
        pdf.set_font("DejaVu", size=10)
        pdf.multi_cell(0, 5.5, t("pack_cameras_none", lang), new_x="LMARGIN", new_y="NEXT")
    else:
        _pdf_table(pdf, coverage.display_coverage(missing, lang), size=7, max_rows=PACK_MAX_ROWS, lang=lang)


def _evidence_lines(store: Store, period: str, lang: str, observations: gpd.GeoDataFrame,
                    incidents: gpd.GeoDataFrame, *, dataset: str, protect: bool = True) -> list[str]:
    """Return the pack's Gi*, emerging and displacement lines (nothing without incidents); long lists capped.

    Lists are capped at :data:`PACK_MAX_ROWS`. With ``protect`` (the council's pack) they follow
    the disclosure rules (:func:`hotspots.evidence.gi_views.build` and :func:`hotspots.evidence.gi_views.pack_lines`
    with ``protect``).
    """
    if incidents.empty:
        return []
    evidence = evidence_service.gi_evidence(store, period, dataset=dataset, protect=protect, incidents=incidents,
                                            observations=observations)
    return gi_views.pack_lines(evidence, observations, incidents, lang, max_rows=PACK_MAX_ROWS, protect=protect)


def _incident_section(pdf: FPDF, store: Store, review: Review, data: gpd.GeoDataFrame, *, dataset: str, lang: str,
                      suppress: bool) -> None:
    """Add the incident pages of the pack: counts per hotspot in both periods, trends per unit (when incidents exist)."""
    if data.empty:
        return
    pdf.add_page()
    pdf.set_font("DejaVu", size=13)
    pdf.multi_cell(0, 7, t("pack_inc_title", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=8)
    below = settings.INCIDENT_SUPPRESS_BELOW
    note = (t("pack_inc_note", lang, n=below, m=below - 1) + " " + t("inc_secondary_note", lang, n=below)
            if suppress else t("pack_inc_note_raw", lang))
    pdf.multi_cell(0, 4.5, note, new_x="LMARGIN", new_y="NEXT")
    by_hotspot = incident_service.hotspot_counts(store, dataset=dataset, incidents=data, observations=review.observations)
    _pdf_table(pdf, incident_hotspot_table(review, by_hotspot, lang, suppress=suppress), size=6,
               max_rows=PACK_MAX_ROWS, lang=lang)
    trends_table = disclosure.unit_trends(data) if suppress else counts.unit_category_trends(data)
    pdf.set_font("DejaVu", size=10)
    heading = t("rv_inc_trends_protected", lang) if suppress else t("rv_inc_trends", lang)
    pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
    _pdf_table(pdf, incident_trend_table(trends_table, lang, series=False), size=6)
    pdf.set_font("DejaVu", size=8)
    periods = str(trends_table["periods"].iloc[0]) if len(trends_table) else ""
    trend_note = (t("rv_inc_trends_note_protected", lang, periods=periods) if suppress
                  else t("rv_inc_trends_note", lang, periods=periods))
    pdf.multi_cell(0, 4.5, trend_note, new_x="LMARGIN", new_y="NEXT")
