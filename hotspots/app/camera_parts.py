"""The camera register on its page: staff add a camera (click, search, lat/lon), change, retire, import them."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from hotspots.app import widgets
from hotspots.app.session import flash, lang, message, tr, trm, upload_mb
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.base.labels import CAMERA_STATUS, OWNER, QUALITY, label
from hotspots.places import cameras
from hotspots.places import store as places_store
from hotspots.plan.store import Store

#: Session key of the point chosen for a new camera or a move (a map click, a found place).
K_POINT = "cam_point"
OWNERS, STATUSES = [str(o) for o in cameras.Owner], [str(s) for s in cameras.CameraStatus]


def camera_forms(store: Store, register: gpd.GeoDataFrame, editor: str) -> None:
    """Show ``editor`` the forms to add, change, retire and import cameras; each save reruns the page."""
    lg = lang()
    st.subheader(tr("cam_add"))
    found = widgets.place_search("cam")  # the add page's search: candidates to choose from, outside ones refused
    if found is not None and found.located and st.button(tr("place_use"), key="cam_use_place"):
        st.session_state[K_POINT] = (found.lat, found.lon)
        flash(trm("cam_found", name=found.name))
        st.rerun()
    point = st.session_state.get(K_POINT)
    st.info(tr("cam_click_hint") if point is None
            else tr("cam_point", lat=f"{point[0]:.6f}", lon=f"{point[1]:.6f}"))
    with st.form("cam_add_form"):
        c1, c2 = st.columns(2)
        lat = c1.text_input(tr("lat"), value="" if point is None else f"{point[0]:.6f}", key=f"cam_lat_{point}")
        lon = c2.text_input(tr("lon"), value="" if point is None else f"{point[1]:.6f}", key=f"cam_lon_{point}")
        name = st.text_input(tr("f_name"), key="cam_name")
        owner = st.selectbox(tr("cam_owner"), OWNERS, key="cam_owner", format_func=lambda o: label(OWNER, o, lg))
        status = st.selectbox(tr("cam_status"), STATUSES, key="cam_status",
                              format_func=lambda s: label(CAMERA_STATUS, s, lg))
        radius = st.number_input(tr("cam_radius"), 1.0, cameras.MAX_RADIUS_M, cameras.DEFAULT_RADIUS_M, key="cam_radius")
        d1, d2 = st.columns(2)
        direction = d1.text_input(tr("cam_direction"), key="cam_direction")
        angle = d2.text_input(tr("cam_angle"), key="cam_angle")
        quality = st.selectbox(tr("f_quality"), list(cameras.CAMERA_GRADES), index=0, key="cam_quality",
                               format_func=lambda q: label(QUALITY, q, lg))
        source = st.text_input(tr("f_source"), value=tr("cam_source_staff", user=editor), key="cam_source")
        notes = st.text_area(tr("f_notes"), key="cam_notes")
        if st.form_submit_button(tr("save")):
            try:
                cid = cameras.add_camera(store, cameras.make_camera(
                    lat=lat, lon=lon, owner=owner, status=status, radius_m=radius, direction=direction, angle=angle,
                    name=name, location_quality=quality, source=source, notes=notes), author=editor)
                st.session_state.pop(K_POINT, None)
                flash(tr("cam_saved", id=cid))
                st.rerun()
            except HotspotError as exc:
                st.error(message(exc))

    if not register.empty:
        st.subheader(tr("cam_change"))
        cid = st.selectbox(tr("cam_which"), list(register["id"]), key="cam_change_id")
        row = register.set_index("id").loc[cid]
        with st.form("cam_change_form"):
            move = st.checkbox(tr("cam_move_here"), key="cam_move", disabled=st.session_state.get(K_POINT) is None)
            status = st.selectbox(tr("cam_status"), STATUSES, index=STATUSES.index(str(row["status"])),
                                  format_func=lambda s: label(CAMERA_STATUS, s, lg), key=f"cam_ch_status_{cid}")
            radius = st.number_input(tr("cam_radius"), 1.0, cameras.MAX_RADIUS_M, float(row["radius_m"]),
                                     key=f"cam_ch_radius_{cid}")
            owner = st.selectbox(tr("cam_owner"), OWNERS, index=OWNERS.index(str(row["owner"])),
                                 format_func=lambda o: label(OWNER, o, lg), key=f"cam_ch_owner_{cid}")
            e1, e2 = st.columns(2)
            direction = e1.text_input(tr("cam_direction"), value=cameras.number_text(row["direction"]),
                                      key=f"cam_ch_dir_{cid}")
            angle = e2.text_input(tr("cam_angle"), value=cameras.number_text(row["angle"]), key=f"cam_ch_angle_{cid}")
            if st.form_submit_button(tr("save")):
                try:
                    changed = cameras.changed_camera(register, cid, point=st.session_state.get(K_POINT) if move else None,
                                                     owner=owner, status=status, radius_m=radius, direction=direction,
                                                     angle=angle)
                    flash(tr("cam_changed", id=cid, result=cameras.update_camera(store, changed, author=editor)))
                    st.rerun()
                except HotspotError as exc:
                    st.error(message(exc))
        with st.form("cam_retire_form"):
            reason = st.text_input(tr("cam_retire_reason"), key="cam_retire_reason")
            if st.form_submit_button(tr("cam_retire")):
                try:
                    cameras.retire_camera(store, cid, author=editor, reason=reason)
                    st.rerun()
                except HotspotError as exc:
                    st.error(message(exc))

    upload = st.file_uploader(tr("cam_import"), type=["geojson", "json"], key="cam_upload",
                              max_upload_size=upload_mb(settings.IMPORT_MAX_BYTES))
    if upload is not None and st.button(tr("cam_import_button"), key="cam_import_go"):
        try:
            flash(places_store.results_text(cameras.import_cameras(store, upload.getvalue(), author=editor)))
            st.rerun()
        except HotspotError as exc:
            st.error(message(exc))
