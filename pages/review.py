"""Review page (council): what changed in each unit between two review periods, and how complete the review is."""

from __future__ import annotations

import streamlit as st

from hotspots.plan import editing
from hotspots.plan import model
from hotspots.review import review
from hotspots.base import settings
from hotspots.plan import trends
from hotspots.app import ui
from hotspots.base.errors import HotspotError
from hotspots.base.i18n import t
from hotspots.base.labels import CATEGORY, label

lang = ui.lang()
plan = ui.plan()
st.title(ui.tr("page_review"))
ui.banners()
dataset = ui.current_dataset()
versions = editing.hotspot_versions(ui.store()) if ui.can("edit") else {}  # before the rows (a "persists" carries it)
gdf = ui.hotspots(dataset)
periods = model.review_periods()
default_a, default_b = review.default_periods(gdf)
params = st.query_params
a0 = params.get("from") if params.get("from") in periods else default_a
b0 = params.get("to") if params.get("to") in periods else default_b
unit_choices: list[int | None] = [None, *settings.UNIT_NUMBERS]
c1, c2, c3, c4 = st.columns(4)
a = c1.selectbox(ui.tr("rv_from"), periods, index=periods.index(a0), key="rv_a")
b = c2.selectbox(ui.tr("rv_to"), periods, index=periods.index(b0), key="rv_b")
unit = c3.selectbox(ui.tr("rv_unit_filter"), unit_choices, index=unit_choices.index(review.parse_unit(params.get("unit"))),
                    key="rv_unit", format_func=lambda u, lg=lang: t("rv_all_units", lg) if u is None else t("unit_n", lg, n=u))
shade = c4.selectbox(ui.tr("rv_shade"), list(review.CATEGORIES), key="rv_shade",
                     format_func=lambda c, lg=lang: label(CATEGORY, c, lg))
st.query_params.from_dict({"from": a, "to": b, "lang": lang, **({"unit": str(unit)} if unit else {})})
try:
    rv = review.build_review(gdf, a, b)
except HotspotError as exc:
    st.warning(ui.message(exc))
    st.stop()
store = ui.store()
state = editing.review_state(store, b, dataset=dataset)

line = review.completeness_line(rv, lang)
if rv.completeness.complete:
    st.success(line)
else:
    st.warning(line)
if state["closed"]:
    st.caption(ui.trm("rv_closed_by", who=state["updated_by"], at=state["updated_at"]))
    if state["reason"]:
        st.caption(ui.trm("rv_closed_reason", reason=state["reason"]))
else:
    st.caption(ui.tr("rv_open"))

ui.show_map(review.review_map(rv, plan=plan, lang=lang, units_layer=ui.units_layer(), basemap=settings.basemap(),
                              unit=unit, category=shade), key="review_map", height=560)
hidden = review.not_drawn(rv, unit=unit)
if hidden:
    st.caption(ui.tr("rv_not_drawn", n=len(hidden), ids=", ".join(hidden)))

st.subheader(ui.tr("rv_sentences"))
for sentence in rv.sentences(lang, unit=unit) or [ui.tr("sent_nothing")]:
    st.text(sentence)
events = review.event_sentences(rv, lang, unit=unit)
if events:
    st.markdown(f"**{ui.tr('rv_events_title')}**")
    for sentence in events:
        st.text(sentence)
st.download_button(ui.tr("rv_pack"), lambda: ui.review_pack(a, b, lang=lang, dataset=dataset),
                   f"rishikimi_{a}_{b}.pdf", "application/pdf", key="rv_pack_button")
for category, table in review.unit_tables(rv, lang, unit=unit).items():
    st.markdown(f"**{ui.tr('rv_category_table', category=ui.code_label(CATEGORY, category))}**")
    st.dataframe(table, hide_index=True, width="stretch", key=f"rv_table_{category}")

if ui.can("edit"):
    ui.review_work(rv, state, b, dataset=dataset, unit=unit, versions=versions)

st.subheader(ui.tr("rv_problems"))
linked = sorted(set(rv.before["problem"]) | set(rv.after["problem"]))
st.dataframe(review.problem_status(store, plan, [a, b], lang, linked), hide_index=True, width="stretch")
with st.expander(ui.tr("rv_details")):
    st.dataframe(ui.with_incident_counts(review.details_table(rv, lang, unit=unit), a, b, dataset, gdf),  # issue 13
                 hide_index=True, width="stretch")
with st.expander(ui.tr("rv_trends")):
    unit_trends = trends.unit_trends(gdf)
    st.dataframe(review.trend_table(unit_trends, lang, unit=unit), hide_index=True, width="stretch")
    for note in review.trend_notes(unit_trends, lang):
        st.caption(note)
    incident_trends = ui.incident_trend_table(dataset, unit=unit)  # issue 13: trends on incident counts
    if incident_trends is not None:
        protected = not ui.sees_incident_points()
        st.markdown(f"**{ui.tr('rv_inc_trends_protected') if protected else ui.tr('rv_inc_trends')}**")
        st.dataframe(incident_trends[0], hide_index=True, width="stretch", key="rv_inc_trends")
        st.caption(incident_trends[1])

# --- issue 14: hot zones in the evidence (Gi*), emerging hot spots, displacement ---------------------------
if ui.role() is not None and not ui.incidents().empty:
    from hotspots.evidence import gi_maps
    from hotspots.evidence import gi_views

    evidence = ui.gi_evidence(b)
    st.subheader(ui.tr("gi_section", period=b))
    st.caption(ui.tr("gi_explain_cells"))
    st.markdown(f"**{ui.tr('gi_designated_title')}**")
    st.caption(ui.tr("gi_designated_explain"))
    st.dataframe(gi_views.designated_table(evidence, gdf, lang), hide_index=True, width="stretch", key="gi_designated")
    st.markdown(f"**{ui.tr('gi_proposals_title')}**")
    st.caption(ui.tr("gi_proposals_explain"))
    if evidence.proposals.empty:
        st.caption(ui.tr("gi_no_proposals"))
    else:
        st.dataframe(gi_views.proposal_table(evidence, lang), hide_index=True, width="stretch", key="gi_proposals")
    if ui.can("edit"):
        ui.proposal_actions(evidence, b)
    st.markdown(f"**{ui.tr('ehsa_title')}**")
    st.caption(ui.tr("ehsa_explain"))
    ehsa_map = review.review_map(rv, plan=plan, lang=lang, units_layer=ui.units_layer(), basemap=settings.basemap(),
                                 unit=unit, category=shade)
    gi_maps.add_emerging_layer(ehsa_map, evidence.trend, lang)
    ui.show_map(ehsa_map, key="ehsa_map", height=480)
    c1, c2 = st.columns(2)
    c1.caption(ui.tr("ehsa_by_unit"))
    c1.dataframe(gi_views.emerging_by_unit(evidence, ui.units_layer(), lang), hide_index=True, width="stretch", key="ehsa_units")
    c2.caption(ui.tr("ehsa_by_hotspot"))
    c2.dataframe(gi_views.emerging_by_hotspot(evidence, gdf, b, lang), hide_index=True, width="stretch", key="ehsa_hotspots")
    st.markdown(f"**{ui.tr('disp_title')}**")
    st.caption(ui.tr("disp_explain", min=settings.DISPLACEMENT_MIN_COUNT, alpha=settings.DISPLACEMENT_ALPHA))
    disp = gi_views.displacement_table(ui.incidents(), gdf, lang, sees_points=ui.sees_incident_points(), upto=b)
    if disp.empty:
        st.caption(ui.tr("disp_none"))
    else:
        st.dataframe(disp, hide_index=True, width="stretch", key="disp_table")
# --- end of issue 14 --------------------------------------------------------------------------------------

# --- evidence for the council: concentration, forecast scores, CompStat, near repeats ----------------------
if not ui.incidents().empty:
    from hotspots.evidence import service as evidence_service
    from hotspots.evidence import views as evidence_views

    st.subheader(ui.tr("ev_section", period=b))
    st.caption(ui.tr("ev_disclosure"))
    ev_measure = st.radio(ui.tr("ev_measure"), ["count", "harm"], horizontal=True, key="ev_measure",
                          format_func=lambda m, lg=lang: evidence_service.measure_label(m, lg))
    ev = ui.council_evidence(b, ev_measure)
    ev_lines = evidence_views.lines(ev, lang)
    for ev_key, ev_texts in ev_lines.items():
        st.markdown(f"**{ui.tr(evidence_views.TITLES[ev_key])}**")
        st.caption(ev_texts[0])
        for ev_text in ev_texts[1:]:
            st.text(ev_text)
        if ev_key == "concentration":
            if not ev.curve.empty:
                st.line_chart(ev.curve, x="cells", y="incidents", x_label=ui.tr("ev_curve_x"),
                              y_label=ui.tr("ev_curve_y"), height=240)
            st.dataframe(evidence_views.concentration_view(ev.concentration, lang), hide_index=True, width="stretch",
                         key="ev_conc_table")
        elif ev_key == "forecast":
            st.dataframe(evidence_views.forecast_view(ev.forecast, lang), hide_index=True, width="stretch",
                         key="ev_fc_table")
        elif ev_key == "compstat":
            st.dataframe(evidence_views.compstat_view(ev.compstat, lang), hide_index=True, width="stretch",
                         key="ev_cs_table")
