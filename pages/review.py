"""Review page (council): what changed in each unit between two review periods, and how complete the review is."""

from __future__ import annotations

import streamlit as st

from hotspots.app import evidence_parts, incident_parts, loaders, login, review_parts, session, widgets
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.base.i18n import t
from hotspots.base.labels import CATEGORY, label, unit_words
from hotspots.plan import editing, model
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
    unit_trends = loaders.unit_trends(dataset)  # cached until the store changes
    st.dataframe(review.trend_table(unit_trends, lang, unit=unit), hide_index=True, width="stretch")
    for note in review.trend_notes(unit_trends, lang):
        st.caption(note)
    incident_trends = incident_parts.incident_trend_table(dataset, unit=unit)  # trends on incident counts
    if incident_trends is not None:
        protected = not login.sees_incident_points()
        st.markdown(f"**{session.tr('rv_inc_trends_protected') if protected else session.tr('rv_inc_trends')}**")
        st.dataframe(incident_trends[0], hide_index=True, width="stretch", key="rv_inc_trends")
        st.caption(incident_trends[1])

# --- hot zones in the evidence (Gi*), emerging hot spots, displacement; evidence for the council ---
evidence_parts.gi_section(rv, plan, b, gdf, unit=unit, shade=shade)
evidence_parts.council_section(b)
