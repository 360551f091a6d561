"""Review page (council): what changed in each unit between two review periods, and how complete the review is."""

from __future__ import annotations

import streamlit as st

from hotspots.app import evidence_parts, incident_parts, loaders, login, review_parts, session, widgets
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.base.i18n import t
from hotspots.base.labels import CATEGORY, label, unit_words
from hotspots.plan import editing, model, trends
from hotspots.review import maps as review_maps
from hotspots.review import review


lang = session.lang()
st.title(session.tr("page_review"))
widgets.banners()
dataset = loaders.current_dataset()
versions = editing.hotspot_versions(session.store()) if login.can("edit") else {}  # before the rows (a "persists" carries it)
gdf = loaders.hotspots(dataset)
periods = model.review_periods()
default_a, default_b = review.default_periods(gdf)
params = st.query_params
a0 = params.get("from") if params.get("from") in periods else default_a
b0 = params.get("to") if params.get("to") in periods else default_b
unit_choices: list[int | None] = [None, *settings.UNIT_NUMBERS]
c1, c2, c3, c4 = st.columns(4)
a = c1.selectbox(session.tr("rv_from"), periods, index=periods.index(a0), key="rv_a")
b = c2.selectbox(session.tr("rv_to"), periods, index=periods.index(b0), key="rv_b")
unit = c3.selectbox(session.tr("rv_unit_filter"), unit_choices, index=unit_choices.index(review.parse_unit(params.get("unit"))),
                    key="rv_unit", format_func=lambda u, lg=lang: t("rv_all_units", lg) if u is None else unit_words(u, lg))
shade = c4.selectbox(session.tr("rv_shade"), list(review.CATEGORIES), key="rv_shade",
                     format_func=lambda c, lg=lang: label(CATEGORY, c, lg))
st.query_params.from_dict({"from": a, "to": b, "lang": lang, **({"unit": str(unit)} if unit else {})})
try:
    rv = review.build_review(gdf, a, b)
except HotspotError as exc:
    st.warning(session.message(exc))
    st.stop()
store = session.store()
state = editing.review_state(store, b, dataset=dataset)
plan = review_parts.cited_plan(store, b, dataset=dataset)  # the plan the review was made under, cited

line = review.completeness_line(rv, lang)
if rv.completeness.complete:
    st.success(line)
else:
    st.warning(line)
if state["closed"]:
    st.caption(session.trm("rv_closed_by", who=state["updated_by"], at=state["updated_at"]))
    if state["reason"]:
        st.caption(session.trm("rv_closed_reason", reason=state["reason"]))
else:
    st.caption(session.tr("rv_open"))

widgets.show_map(review_maps.review_map(rv, plan=plan, lang=lang, units_layer=loaders.units_layer(), basemap=settings.basemap(),
                              unit=unit, category=shade), key="review_map", height=560)
hidden = review_maps.not_drawn(rv, unit=unit)
if hidden:
    st.caption(session.tr("rv_not_drawn", n=len(hidden), ids=", ".join(hidden)))

st.subheader(session.tr("rv_sentences"))
for sentence in rv.sentences(lang, unit=unit) or [session.tr("sent_nothing")]:
    st.text(sentence)
events = review.event_sentences(rv, lang, unit=unit)
if events:
    st.markdown(f"**{session.tr('rv_events_title')}**")
    for sentence in events:
        st.text(sentence)
st.download_button(session.tr("rv_pack"), lambda: loaders.review_pack(a, b, lang=lang, dataset=dataset),
                   f"rishikimi_{a}_{b}.pdf", "application/pdf", key="rv_pack_button")
for category, table in review.unit_tables(rv, lang, unit=unit).items():
    st.markdown(f"**{session.tr('rv_category_table', category=session.code_label(CATEGORY, category))}**")
    st.dataframe(table, hide_index=True, width="stretch", key=f"rv_table_{category}")

if login.can("edit"):
    review_parts.review_work(rv, state, b, dataset=dataset, unit=unit, versions=versions)

st.subheader(session.tr("rv_problems"))
linked = sorted(set(rv.before["problem"]) | set(rv.after["problem"]))
st.dataframe(review.problem_status(store, plan, [a, b], lang, linked), hide_index=True, width="stretch")
with st.expander(session.tr("rv_details")):
    st.dataframe(incident_parts.with_incident_counts(review.details_table(rv, lang, unit=unit), a, b, dataset, gdf),
                 hide_index=True, width="stretch")
with st.expander(session.tr("rv_trends")):
    unit_trends = trends.unit_trends(gdf)
    st.dataframe(review.trend_table(unit_trends, lang, unit=unit), hide_index=True, width="stretch")
    for note in review.trend_notes(unit_trends, lang):
        st.caption(note)
    incident_trends = incident_parts.incident_trend_table(dataset, unit=unit)  # trends on incident counts
    if incident_trends is not None:
        protected = not login.sees_incident_points()
        st.markdown(f"**{session.tr('rv_inc_trends_protected') if protected else session.tr('rv_inc_trends')}**")
        st.dataframe(incident_trends[0], hide_index=True, width="stretch", key="rv_inc_trends")
        st.caption(incident_trends[1])

# --- hot zones in the evidence (Gi*), emerging hot spots, displacement ---------------------------
if login.role() is not None and not loaders.incidents().empty:
    from hotspots.evidence import gi_maps
    from hotspots.evidence import gi_views

    evidence = loaders.gi_evidence(b)
    st.subheader(session.tr("gi_section", period=b))
    st.caption(session.tr("gi_explain_cells"))
    st.markdown(f"**{session.tr('gi_designated_title')}**")
    st.caption(session.tr("gi_designated_explain"))
    st.dataframe(gi_views.designated_table(evidence, gdf, lang), hide_index=True, width="stretch", key="gi_designated")
    st.markdown(f"**{session.tr('gi_proposals_title')}**")
    st.caption(session.tr("gi_proposals_explain"))
    if evidence.proposals.empty:
        st.caption(session.tr("gi_no_proposals"))
    else:
        st.dataframe(gi_views.proposal_table(evidence, lang), hide_index=True, width="stretch", key="gi_proposals")
    if login.can("edit"):
        evidence_parts.proposal_actions(evidence, b)
    st.markdown(f"**{session.tr('ehsa_title')}**")
    st.caption(session.tr("ehsa_explain"))
    ehsa_map = review_maps.review_map(rv, plan=plan, lang=lang, units_layer=loaders.units_layer(), basemap=settings.basemap(),
                                 unit=unit, category=shade)
    gi_maps.add_emerging_layer(ehsa_map, evidence.trend, lang)
    widgets.show_map(ehsa_map, key="ehsa_map", height=480)
    c1, c2 = st.columns(2)
    c1.caption(session.tr("ehsa_by_unit"))
    c1.dataframe(gi_views.emerging_by_unit(evidence, loaders.units_layer(), lang), hide_index=True, width="stretch",
                 key="ehsa_units")
    c2.caption(session.tr("ehsa_by_hotspot"))
    c2.dataframe(gi_views.emerging_by_hotspot(evidence, gdf, b, lang), hide_index=True, width="stretch", key="ehsa_hotspots")
    st.markdown(f"**{session.tr('disp_title')}**")
    st.caption(session.tr("disp_explain", min=settings.DISPLACEMENT_MIN_COUNT, alpha=settings.DISPLACEMENT_ALPHA))
    disp = gi_views.displacement_table(loaders.incidents(), gdf, lang, sees_points=login.sees_incident_points(), upto=b)
    if disp.empty:
        st.caption(session.tr("disp_none"))
    else:
        st.dataframe(disp, hide_index=True, width="stretch", key="disp_table")

# --- evidence for the council: concentration, forecast scores, CompStat, near repeats ----------------------
if not loaders.incidents().empty:
    from hotspots.evidence import service as evidence_service
    from hotspots.evidence import views as evidence_views

    st.subheader(session.tr("ev_section", period=b))
    st.caption(session.tr("ev_disclosure"))
    ev_measure = st.radio(session.tr("ev_measure"), ["count", "harm"], horizontal=True, key="ev_measure",
                          format_func=lambda m, lg=lang: evidence_service.measure_label(m, lg))
    ev = loaders.council_evidence(b, ev_measure)
    ev_lines = evidence_views.lines(ev, lang)
    for ev_key, ev_texts in ev_lines.items():
        st.markdown(f"**{session.tr(evidence_views.TITLES[ev_key])}**")
        st.caption(ev_texts[0])
        for ev_text in ev_texts[1:]:
            st.text(ev_text)
        if ev_key == "concentration":
            if not ev.curve.empty:
                st.line_chart(ev.curve, x="cells", y="incidents", x_label=session.tr("ev_curve_x"),
                              y_label=session.tr("ev_curve_y"), height=240)
            st.dataframe(evidence_views.concentration_view(ev.concentration, lang), hide_index=True, width="stretch",
                         key="ev_conc_table")
        elif ev_key == "forecast":
            st.dataframe(evidence_views.forecast_view(ev.forecast, lang), hide_index=True, width="stretch",
                         key="ev_fc_table")
        elif ev_key == "compstat":
            st.dataframe(evidence_views.compstat_view(ev.compstat, lang), hide_index=True, width="stretch",
                         key="ev_cs_table")
