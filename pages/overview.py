"""Overview page: the plan's title, the baseline counts, and what the data is."""

from __future__ import annotations

import streamlit as st

from hotspots.app import loaders, session
from hotspots.plan import model, views


lang = session.lang()
plan = loaders.plan()
st.title(plan.title(lang))
session.page_style()
st.write(session.tr("overview_intro"))
baseline = loaders.hotspots("real")
baseline = baseline[baseline["period"] == model.baseline_period()]
st.subheader(session.tr("baseline_counts", period=model.baseline_period()))
c1, c2, c3 = st.columns(3)
c1.metric(session.tr("metric_crime"), int((baseline["category"] == "crime").sum()))
c2.metric(session.tr("metric_children"), int((baseline["category"] == "street_children").sum()))
c3.metric(session.tr("metric_unlocated"), len(views.needs_location(baseline)))
st.dataframe(views.counts_by_unit(baseline, lang), width="stretch")
st.info(session.tr("approx_units_banner"))
st.caption(session.tr("no_people"))
