"""Review page (council): what changed in each unit between two review periods."""

from __future__ import annotations

import streamlit as st

from hotspots import model, review, settings, trends, ui
from hotspots.errors import HotspotError

lang = ui.lang()
plan = ui.plan()
st.title(ui.tr("page_review"))
ui.banners()
gdf = ui.hotspots(ui.current_dataset())
periods = model.review_periods()
default_a, default_b = review.default_periods(gdf)
default_a = st.query_params.get("from", default_a) if st.query_params.get("from") in periods else default_a
default_b = st.query_params.get("to", default_b) if st.query_params.get("to") in periods else default_b
c1, c2 = st.columns(2)
a = c1.selectbox(ui.tr("rv_from"), periods, index=periods.index(default_a), key="rv_a")
b = c2.selectbox(ui.tr("rv_to"), periods, index=periods.index(default_b), key="rv_b")
if a == b:
    st.warning(ui.tr("rv_same"))
    st.stop()
try:
    rv = review.build_review(gdf, a, b)
except HotspotError as exc:
    st.info(exc.message(lang))
    st.stop()

left, right = st.columns([3, 2])
with left:
    ui.show_map(review.review_map(rv, plan=plan, lang=lang, units_layer=ui.units_layer(), basemap=settings.basemap()),
                key="review_map", height=520)
with right:
    st.subheader(ui.tr("rv_table"))
    st.dataframe(review.unit_table(rv, lang), hide_index=True, width="stretch", key="rv_unit_table")
    st.subheader(ui.tr("rv_sentences"))
    for sentence in rv.sentences(lang):
        st.text(sentence)
    events = review.movement.events(rv.result)
    if events:
        st.caption(ui.tr("rv_events") + ": " + "; ".join(events))
    dataset = ui.current_dataset()
    st.download_button(ui.tr("rv_pack"), lambda: ui.review_pack(a, b, lang=lang, dataset=dataset),
                       f"rishikimi_{a}_{b}.pdf", "application/pdf", key="rv_pack_button")

st.subheader(ui.tr("rv_problems"))
linked = sorted(set(rv.before["problem"]) | set(rv.after["problem"]))
st.dataframe(review.problem_status(ui.store(), plan, [a, b], lang, linked), hide_index=True, width="stretch")
with st.expander(ui.tr("rv_details")):
    st.dataframe(review.details_table(rv, lang), hide_index=True, width="stretch")
with st.expander(ui.tr("rv_trends")):
    st.dataframe(review.trend_table(trends.unit_trends(gdf), lang), hide_index=True, width="stretch")
