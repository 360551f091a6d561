"""Update a hotspot (staff): review it for a period, place it, edit its text; see its history."""

from __future__ import annotations

import streamlit as st

from hotspots.app import loaders, login, session, widgets
from hotspots.base.errors import HotspotError, StaleEditError
from hotspots.base.labels import ACTION, OUTCOME, QUALITY, RESULT, REVIEW_SOURCE
from hotspots.plan import editing, model, views


author = login.require("edit")
lang = session.lang()
K_ID, K_POINT, K_LAST, K_BASE = "upd_id", "upd_point", "upd_last_click", "upd_base"
st.title(session.tr("page_update"))
session.page_style()
session.show_flash()
widgets.example_edit_note()
store = session.store()
versions = editing.hotspot_versions(store)  # read before the rows: a change in between is refused, never lost
own = loaders.hotspots("real")  # staff edit the real data, also while the example series is shown elsewhere
rows = editing.latest_rows(own)
labels = editing.hotspot_labels(rows, lang)
ids = list(labels)
if "upd_pending" in st.session_state:  # a hotspot clicked on the map in the last run
    st.session_state[K_ID] = st.session_state.pop("upd_pending")
if st.session_state.get(K_ID) not in labels:
    st.session_state[K_ID] = ids[0]
hotspot_id = st.selectbox(session.tr("upd_choose"), ids, key=K_ID, format_func=lambda i: labels[i])
row = rows.set_index("id").loc[hotspot_id]
if st.session_state.get(K_BASE, ("", 0))[0] != hotspot_id:  # the version this hotspot's form was opened from
    st.session_state[K_BASE] = (hotspot_id, versions.get(hotspot_id, 0))
version = int(st.session_state[K_BASE][1])
previous = editing.anchor_latlon(row.geometry)
current_grade = editing.kept_grade(str(row["location_quality"]))


def saved(result: str) -> None:
    """Keep the outcome in words, forget the chosen point, and rerun to show the new state."""
    session.flash(session.tr("saved_result", id=hotspot_id, result=session.code_label(RESULT, result)))
    st.session_state.pop(K_POINT, None)
    st.session_state.pop(K_BASE, None)
    st.rerun()


col_map, col_form = st.columns([3, 2])
with col_map:
    fmap = widgets.picker_map(views.Filters(period=str(row["period"])), chosen=st.session_state.get(K_POINT), previous=previous)
    result = widgets.show_map(fmap, key="upd_map", height=460, returned_objects=["last_clicked", "last_object_clicked_tooltip"])
    clicked_id = editing.tooltip_id((result or {}).get("last_object_clicked_tooltip"))
    click = editing.clicked_point(result)
    if clicked_id in labels and clicked_id != st.session_state.get("upd_last_tooltip"):
        st.session_state["upd_last_tooltip"] = clicked_id
        st.session_state["upd_pending"] = clicked_id
        st.rerun()
    elif click is not None and click != st.session_state.get(K_LAST):
        st.session_state[K_LAST] = click
        st.session_state[K_POINT] = click
        st.rerun()

with col_form:
    st.text(labels[hotspot_id])  # plain text: any markup in a name stays inert
    action = st.radio(session.tr("upd_action"), ["review", "place", "edit"], key="upd_action",
                      format_func=lambda a: session.code_label(ACTION, a))
    new = st.session_state.get(K_POINT)
    try:
        if action == "review":
            default = editing.next_period(str(row["period"])) or str(row["period"])
            periods = model.review_periods()[1:]
            period = st.selectbox(session.tr("upd_period"), periods, index=periods.index(default) if default in periods else 0,
                                  key="upd_period")
            outcome = st.radio(session.tr("upd_outcome"), ["persists", "moved", "refined", "resolved", "removed"],
                               key="upd_outcome",
                               format_func=lambda o: session.code_label(OUTCOME, o))
            quality = None
            if outcome in ("moved", "refined"):
                quality = widgets.grade_select(f"upd_quality_{hotspot_id}", current=current_grade)
                st.caption(session.tr("upd_quality_kept", quality=session.code_label(QUALITY, current_grade)))
            notes = st.text_area(session.tr("f_notes"), key="upd_notes")
            if outcome in ("moved", "refined") and new is None:
                st.info(session.tr("upd_needs_click"))
            if st.button(session.tr("save"), key="upd_save_review"):
                if outcome in ("moved", "refined") and new is None:
                    st.error(session.tr("err_point_missing"))
                else:
                    geometry = editing.point(*new) if (outcome in ("moved", "refined") and new) else None
                    moved = outcome in ("moved", "refined")
                    source = session.code_label(REVIEW_SOURCE, outcome, period=period, user=author) if moved else ""
                    saved(editing.record_review(store, hotspot_id, period, outcome=outcome, author=author, geometry=geometry,
                                              location_quality=quality, notes=notes, location_source=source,
                                              version=version))
        elif action == "place":
            quality = widgets.grade_select(f"upd_place_quality_{hotspot_id}", current=current_grade)
            source = st.text_input(session.tr("f_source"), value=session.tr("source_click", user=author), key="upd_place_source")
            if new is None:
                st.info(session.tr("no_point"))
            if st.button(session.tr("save"), key="upd_save_place"):
                if new is None:
                    st.error(session.tr("err_point_missing"))
                else:
                    saved(editing.place_hotspot(store, hotspot_id, str(row["period"]), editing.point(*new),
                                              location_quality=quality, location_source=source, author=author,
                                              version=version))
        else:
            name = st.text_input(session.tr("f_name"), value=str(row["name"]), key=f"upd_name_{hotspot_id}")
            description = st.text_area(session.tr("f_description"), value=editing.text(row["description"]),
                                       key=f"upd_desc_{hotspot_id}")
            if st.button(session.tr("save"), key="upd_save_text"):
                editing.update_hotspot_text(store, hotspot_id, author=author, version=version, name=name,
                                            description=description)
                saved("edit")
    except StaleEditError as exc:  # someone saved this hotspot since the form was opened: show theirs, keep ours
        st.error(session.message(exc))
        st.caption(session.tr("upd_conflict_changes"))
        st.dataframe(views.history_table(editing.changes_since(store, hotspot_id, version), lang), hide_index=True,
                     width="stretch", key="upd_conflict_table")
        st.button(session.tr("upd_take_stored"), key="upd_take_stored", on_click=st.session_state.pop, args=(K_BASE, None))
    except HotspotError as exc:
        st.error(session.message(exc))

st.subheader(session.tr("upd_periods"))
st.dataframe(views.display_table(own[own["id"] == hotspot_id], lang,
                                 columns=["period", "status", "unit", "location_quality", "moved_from", "notes"]),
             hide_index=True, width="stretch")
st.subheader(session.tr("upd_history"))
st.dataframe(views.history_table(store.history(entity_id=hotspot_id), lang), hide_index=True, width="stretch")
