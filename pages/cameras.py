"""Cameras page (activities 1.3.1–1.3.3, 1.7.2): the register, coverage of hot zones, next sites.

Logged-in roles see the cameras; staff add (map click or typed lat/lon), change, retire,
import and export them, and ask where N new cameras would cover the most hot zones.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from hotspots import cameras, editing, geocode, model, places, places_maps, settings, siting, ui, units, views
from hotspots.errors import HotspotError
from hotspots.i18n import t  # format functions may run outside the script run: bind the language

ui.require("export")  # every logged-in role; the public sees coverage figures on the plan page
lang = ui.lang()
editor = ui.user() if ui.can("edit") else None
store = ui.store()
K_POINT, K_LAST, K_SITES = "cam_point", "cam_last_click", "cam_sites"
st.title(ui.tr("page_cameras"))
st.caption(ui.tr("cam_intro"))
if "cam_flash" in st.session_state:
    st.success(st.session_state.pop("cam_flash"))

dataset = ui.current_dataset()
all_hotspots = ui.hotspots(dataset)
periods = model.review_periods()
default = views.latest_period_with_data(all_hotspots, model.current_period())
period = st.selectbox(ui.tr("f_period"), periods, index=periods.index(default), key="cam_period")
register = cameras.read_cameras(store)
table = cameras.coverage(all_hotspots, register, period=period)
figures = cameras.summary(table, register)
for col, key in zip(st.columns(len(figures)), figures):
    col.metric(ui.tr("cam_working") if key == "working" else ui.tr(f"cov_{key}"), figures[key])
st.caption(ui.tr("cam_period_note", period=period))

fmap = places_maps.camera_map(all_hotspots, table, register, lang, municipality=units.municipality(),
                              city=units.city_unit(), basemap=settings.basemap(), chosen=st.session_state.get(K_POINT),
                              sites=st.session_state.get(K_SITES), sites_radius_m=siting.NEW_CAMERA_RADIUS_M)
result = ui.show_map(fmap, key="cam_map", height=520, returned_objects=["last_clicked"] if editor else [])
click = editing.clicked_point(result)
if editor and click is not None and click != st.session_state.get(K_LAST):
    st.session_state[K_LAST] = click
    st.session_state[K_POINT] = click
    st.rerun()

st.subheader(ui.tr("cam_coverage_title"))
st.dataframe(cameras.display_coverage(table, lang), hide_index=True, width="stretch", key="cam_coverage_table")
st.dataframe(cameras.coverage_by_unit(table), hide_index=True, width="stretch", key="cam_unit_table")
st.caption(ui.tr("cam_over_periods"))
st.dataframe(cameras.coverage_over_periods(all_hotspots, register, periods), hide_index=True, width="stretch",
             key="cam_periods_table")

st.subheader(ui.tr("cam_register"))
st.dataframe(cameras.register_table(register, internal=ui.can("view_notes")), hide_index=True, width="stretch", key="cam_register_table")
st.download_button(ui.tr("cam_export"), cameras.export_cameras(register), "cameras.geojson", "application/geo+json",
                   key="cam_dl")

if editor:
    st.subheader(ui.tr("cam_add"))
    query = st.text_input(ui.tr("place_search"), key="cam_query")
    if st.button(ui.tr("place_search_button"), key="cam_search") and query.strip():
        found, _refused = geocode.geocode(query)
        located = [c for c in found if c.located]
        if located:
            st.session_state[K_POINT] = (located[0].lat, located[0].lon)
            st.session_state["cam_flash"] = ui.tr("cam_found", name=located[0].name)
            st.rerun()
        st.warning(ui.tr("err_geocode_none", query=query))
    point = st.session_state.get(K_POINT)
    st.info(ui.tr("cam_click_hint") if point is None else ui.tr("cam_point", lat=f"{point[0]:.6f}", lon=f"{point[1]:.6f}"))
    with st.form("cam_add_form"):
        c1, c2 = st.columns(2)
        lat = c1.text_input(ui.tr("lat"), value="" if point is None else f"{point[0]:.6f}", key=f"cam_lat_{point}")
        lon = c2.text_input(ui.tr("lon"), value="" if point is None else f"{point[1]:.6f}", key=f"cam_lon_{point}")
        name = st.text_input(ui.tr("f_name"), key="cam_name")
        owner = st.selectbox(ui.tr("cam_owner"), [str(o) for o in cameras.Owner], key="cam_owner",
                             format_func=lambda o: t(f"ow_{o}", lang))
        status = st.selectbox(ui.tr("cam_status"), [str(s) for s in cameras.CameraStatus], key="cam_status",
                              format_func=lambda s: t(f"cs_{s}", lang))
        radius = st.number_input(ui.tr("cam_radius"), 1.0, cameras.MAX_RADIUS_M, cameras.DEFAULT_RADIUS_M, key="cam_radius")
        d1, d2 = st.columns(2)
        direction = d1.text_input(ui.tr("cam_direction"), key="cam_direction")
        angle = d2.text_input(ui.tr("cam_angle"), key="cam_angle")
        quality = st.selectbox(ui.tr("f_quality"), list(cameras.CAMERA_GRADES), index=0, key="cam_quality",
                               format_func=lambda q: t(f"q_{q}", lang))
        source = st.text_input(ui.tr("f_source"), value=ui.tr("cam_source_staff", user=editor), key="cam_source")
        notes = st.text_area(ui.tr("f_notes"), key="cam_notes")
        if st.form_submit_button(ui.tr("save")):
            try:
                new = cameras.make_camera(lat=lat, lon=lon, owner=owner, status=status, radius_m=radius,
                                          direction=direction or None, angle=angle or None, name=name,
                                          location_quality=quality, source=source, notes=notes)
                cid = cameras.add_camera(store, new, author=editor)
                st.session_state.pop(K_POINT, None)
                st.session_state["cam_flash"] = ui.tr("cam_saved", id=cid)
                st.rerun()
            except HotspotError as exc:
                st.error(exc.message(lang))

    if not register.empty:
        st.subheader(ui.tr("cam_change"))
        cid = st.selectbox(ui.tr("cam_which"), list(register["id"]), key="cam_change_id")
        row = register.set_index("id").loc[cid]
        with st.form("cam_change_form"):
            move = st.checkbox(ui.tr("cam_move_here"), key="cam_move", disabled=st.session_state.get(K_POINT) is None)
            status = st.selectbox(ui.tr("cam_status"), [str(s) for s in cameras.CameraStatus],
                                  index=[str(s) for s in cameras.CameraStatus].index(str(row["status"])),
                                  format_func=lambda s: t(f"cs_{s}", lang), key=f"cam_ch_status_{cid}")
            radius = st.number_input(ui.tr("cam_radius"), 1.0, cameras.MAX_RADIUS_M, float(row["radius_m"]),
                                     key=f"cam_ch_radius_{cid}")
            owner = st.selectbox(ui.tr("cam_owner"), [str(o) for o in cameras.Owner],
                                 index=[str(o) for o in cameras.Owner].index(str(row["owner"])),
                                 format_func=lambda o: t(f"ow_{o}", lang), key=f"cam_ch_owner_{cid}")
            e1, e2 = st.columns(2)
            direction = e1.text_input(ui.tr("cam_direction"), value=cameras.number_text(row["direction"]),
                                      key=f"cam_ch_dir_{cid}")
            angle = e2.text_input(ui.tr("cam_angle"), value=cameras.number_text(row["angle"]), key=f"cam_ch_angle_{cid}")
            if st.form_submit_button(ui.tr("save")):
                try:
                    lat, lon = st.session_state[K_POINT] if move else (row.geometry.y, row.geometry.x)
                    changed = cameras.make_camera(
                        lat=lat, lon=lon, owner=owner, status=status, radius_m=radius, direction=direction or None,
                        angle=angle or None, name=str(row["name"]), location_quality=str(row["location_quality"]),
                        source=str(row["source"]), notes=str(row["notes"]), id=cid)
                    result = cameras.update_camera(store, changed, author=editor)
                    st.session_state["cam_flash"] = ui.tr("cam_changed", id=cid, result=result)
                    st.rerun()
                except HotspotError as exc:
                    st.error(exc.message(lang))
        with st.form("cam_retire_form"):
            reason = st.text_input(ui.tr("cam_retire_reason"), key="cam_retire_reason")
            if st.form_submit_button(ui.tr("cam_retire")):
                try:
                    cameras.retire_camera(store, cid, author=editor, reason=reason)
                    st.rerun()
                except HotspotError as exc:
                    st.error(exc.message(lang))

    upload = st.file_uploader(ui.tr("cam_import"), type=["geojson", "json"], key="cam_upload")
    if upload is not None and st.button(ui.tr("cam_import_button"), key="cam_import_go"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "cameras.geojson"
            path.write_bytes(upload.getvalue())
            try:
                done = cameras.import_cameras(store, path, author=editor)
                st.success(", ".join(f"{r['id']} {r['result']}" for r in done))
            except HotspotError as exc:
                st.error(exc.message(lang))

st.subheader(ui.tr("site_title"))
st.caption(ui.tr("site_intro", spacing=int(siting.GRID_SPACING_M), radius=int(siting.NEW_CAMERA_RADIUS_M)))
n = st.number_input(ui.tr("site_n_cameras"), 1, siting.MAX_NEW, 3, key="cam_site_n")
if st.button(ui.tr("site_run"), key="cam_site_go"):
    try:
        answer = places.siting_for(store, period, int(n), dataset=dataset)
        best, quick = siting.sites_table(answer, answer.mclp), siting.sites_table(answer, answer.greedy)
        st.session_state[K_SITES] = best
        st.session_state["cam_site_answer"] = (answer.mclp.weight, answer.greedy.weight,
                                               float(answer.demand["weight"].sum()), len(answer.sites), best, quick)
        st.rerun()
    except HotspotError as exc:
        st.error(exc.message(lang))
if "cam_site_answer" in st.session_state:
    w_best, w_quick, total, n_sites, best, quick = st.session_state["cam_site_answer"]
    st.success(ui.tr("site_result", best=f"{w_best:g}", quick=f"{w_quick:g}", total=f"{total:g}", sites=n_sites))
    st.dataframe(best, hide_index=True, width="stretch", key="cam_site_best")
    st.caption(ui.tr("site_greedy"))
    st.dataframe(quick, hide_index=True, width="stretch", key="cam_site_greedy")
