"""Plan page: the ten problems, priority per period, activities with status, linked hotspots."""

from __future__ import annotations

import streamlit as st

from hotspots.app import loaders, login, plan_parts, session
from hotspots.base.errors import HotspotError
from hotspots.base.labels import ACTIVITY_STATUS, PRIORITY
from hotspots.places import coverage, schools
from hotspots.places import service as places
from hotspots.places.tables import for_people
from hotspots.plan import editing, model, views


lang = session.lang()
store = session.store()
st.title(session.tr("page_plan"))
session.page_style()
session.show_flash()
periods = model.review_periods()
gdf = loaders.hotspots(loaders.current_dataset())
opening = views.latest_period_with_data(gdf, model.current_period())  # the latest period with records
period = st.selectbox(session.tr("f_period"), periods, index=periods.index(opening) if opening in periods else 0,
                      key="plan_period")
plan = loaders.plan(period)  # the version in force in the period, with its changes by then
st.caption(plan.title(lang))
editor = login.user() if login.can("edit") else None

st.subheader(session.tr("pl_priorities"))
st.dataframe(views.priority_table(plan, store.priorities(), periods, lang), hide_index=True, width="stretch")

statuses = views.activity_statuses(plan, store.activity_status(), period)
priorities = loaders.priorities(period)
in_period = gdf[gdf["period"] == period]
found = places.plan_places(store, gdf, period)  # the places the activities work through
notes = places.plan_notes(found, lang)
for problem in plan.problems:
    with st.expander(f"{problem.id} · {problem.title(lang)} — {session.code_label(PRIORITY, priorities[problem.id])}"):
        st.caption(session.tr("pp_institutions") + ": " + "; ".join(plan.institution_names(problem, lang)))
        if problem.changed_at:  # what the council's meetings changed in it, in force by this period
            st.caption(session.tr("pv_changed_at", meetings="; ".join(problem.changed_at)))
        st.dataframe(views.activity_table(problem, statuses, lang), hide_index=True, width="stretch")
        for line in notes.get(problem.id, []):
            st.caption(line)
        linked = in_period[in_period["problem"] == problem.id]
        if not linked.empty:
            st.caption(session.trn("pl_linked", len(linked)))
            st.dataframe(views.display_table(linked, lang), hide_index=True, width="stretch")
        if editor:
            with st.form(f"plan_form_{problem.id}"):
                chosen = {a.id: st.selectbox(f"{a.id}", [str(s) for s in model.ActivityStatus],
                                             index=[str(s) for s in model.ActivityStatus].index(statuses[a.id]),
                                             format_func=lambda s: session.code_label(ACTIVITY_STATUS, s),
                                             key=f"as_{a.id}_{period}")
                          for a in problem.activities}
                prio = st.selectbox(session.tr("f_priority"), [str(p) for p in model.Priority],
                                    index=[str(p) for p in model.Priority].index(priorities[problem.id]),
                                    format_func=lambda p: session.code_label(PRIORITY, p), key=f"prio_{problem.id}_{period}")
                if st.form_submit_button(session.tr("save")):
                    try:
                        for activity_id, value in chosen.items():
                            if value != statuses[activity_id]:
                                editing.set_activity_status(store, activity_id, period, value, author=editor)
                        editing.set_priority(store, problem.id, period, prio, author=editor)
                        st.success(session.tr("saved", result=problem.id))
                    except HotspotError as exc:
                        st.error(session.message(exc))

plan_parts.versions_section(store, plan, period, login.user() if login.can("amend_plan") else None)

st.subheader(session.tr("pl_no_activity", period=period))
idle = views.without_activity_in_progress(gdf, plan, store.activity_status(), period)
if in_period.empty:
    st.caption(views.period_note(gdf, views.Filters(period), 0, lang) or "")
elif idle.empty:
    st.caption(session.tr("pl_no_activity_none"))
else:
    st.dataframe(views.display_table(idle, lang), hide_index=True, width="stretch", key="plan_idle")

# --- the plan's places — cameras (1.3.1–1.3.3, 1.7.2), schools (1.3, 1.4), cannabis zones (1.9) ---
st.subheader(session.tr("pl_places", period=period))
st.caption(session.tr("pl_places_figures", **coverage.summary(found.coverage, found.register)))
st.markdown(f"**{session.tr('pl_without_camera')}**")
# dataframes, not st.table: st.table renders its cells as Markdown (a name would become a link or an image)
st.dataframe(coverage.display_coverage(coverage.without_camera(found.coverage), lang), hide_index=True, width="stretch",
             key="plan_without_camera")
with st.expander(session.tr("pl_coverage_all")):
    st.dataframe(coverage.display_coverage(found.coverage, lang), hide_index=True, width="stretch",
                 key="plan_coverage_all")
    st.dataframe(for_people(coverage.coverage_by_unit(found.coverage), lang), hide_index=True, width="stretch",
                 key="plan_coverage_units")
st.markdown(f"**{session.tr('pl_schools', m=int(schools.NEAR_M))}**")
st.dataframe(for_people(found.nearest, lang), hide_index=True, width="stretch", key="plan_schools")
st.markdown(f"**{session.tr('zn_per_unit')}**")
st.dataframe(for_people(found.zones_per_unit, lang), hide_index=True, width="stretch", key="plan_zones_per_unit")
