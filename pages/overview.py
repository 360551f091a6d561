"""Overview page: the plan's title, the baseline counts, and what the data is."""

from __future__ import annotations

import streamlit as st

from hotspots.plan import model
from hotspots.app import ui
from hotspots.plan import views

lang = ui.lang()
plan = ui.plan()
st.title(plan.title(lang))
ui.page_style()
st.write(ui.tr("overview_intro"))
baseline = ui.hotspots("real")
baseline = baseline[baseline["period"] == model.baseline_period()]
st.subheader(ui.tr("baseline_counts", period=model.baseline_period()))
c1, c2, c3 = st.columns(3)
c1.metric(ui.tr("metric_crime"), int((baseline["category"] == "crime").sum()))
c2.metric(ui.tr("metric_children"), int((baseline["category"] == "street_children").sum()))
c3.metric(ui.tr("metric_unlocated"), len(views.needs_location(baseline)))
st.dataframe(views.counts_by_unit(baseline, lang), width="stretch")
st.info(ui.tr("approx_units_banner"))
st.caption(ui.tr("no_people"))
