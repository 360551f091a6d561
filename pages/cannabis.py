"""Cannabis-risk zones (activities 1.9.1–1.9.3): the public view for everyone; the zones for staff.

The public sees only what 1.9.3 allows: territories where cultivation was found, large
enough, generalised; never persons, sources or notes. Staff import, add, change and retire zones.
"""

from __future__ import annotations

import streamlit as st

from hotspots.app import login, session, widgets
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.base.i18n import t  # format functions may run outside the script run: bind the language
from hotspots.base.labels import RISK, label
from hotspots.maps.builders import add_boundary, new_map
from hotspots.places import cannabis
from hotspots.places import maps as places_maps
from hotspots.places import store as places_store
from hotspots.places.tables import for_people
from hotspots.plan import units


lang = session.lang()
store = session.store()
editor = login.user() if login.can("edit_places") else None
st.title(session.tr("page_cannabis"))
st.caption(session.tr("zn_intro"))
session.show_flash()  # after a save the page reruns, so the map shows the zone

zones = cannabis.read_zones(store)
view = cannabis.public_view(zones)
st.info(session.tr("zn_public_note", ha=f"{view.min_area_ha:g}", hidden=view.hidden))
fmap = new_map(basemap=settings.basemap(), zoom=11)
add_boundary(fmap, units.municipality(), units.city_unit(), lang)
places_maps.add_zones_layer(fmap, view.zones, lang, show=editor is None,
                            note=session.tr("zn_legend_public", ha=f"{view.min_area_ha:g}"))
if editor:  # staff see the exact zones first, every one of them (risk assessments without a finding too)
    places_maps.add_zones_layer(fmap, zones, lang, name=session.tr("layer_cannabis_staff"), note=session.tr("zn_legend_staff"))
places_maps.add_layer_control(fmap)
places_maps.add_osm_attribution(fmap)
widgets.show_map(fmap, key="zn_map", height=480)

st.subheader(session.tr("zn_per_unit"))
st.dataframe(for_people(view.per_unit, lang), hide_index=True, width="stretch", key="zn_per_unit_table")
st.subheader(session.tr("zn_trends"))
st.caption(session.tr("zn_trends_note"))
st.dataframe(for_people(cannabis.unit_trends(zones), lang), hide_index=True, width="stretch", key="zn_trends_table")

if editor:
    st.subheader(session.tr("zn_staff"))
    shown = zones.drop(columns=["geometry", "retired_at", "retired_reason"])  # the register holds no retired zone
    st.dataframe(for_people(shown, lang), hide_index=True, width="stretch", key="zn_staff_table")
    upload = st.file_uploader(session.tr("zn_import"), type=["geojson", "json"], key="zn_upload",
                              max_upload_size=session.upload_mb(settings.IMPORT_MAX_BYTES))
    if upload is not None and st.button(session.tr("cam_import_button"), key="zn_import_go"):
        try:
            session.flash(places_store.results_text(cannabis.import_zones(store, upload.getvalue(), author=editor)))
            st.rerun()
        except HotspotError as exc:
            st.error(session.message(exc))
    zid = st.selectbox(session.tr("zn_which"), ["", *zones["id"]], key="zn_id", format_func=lambda z: z or t("zn_new", lang))
    start = cannabis.form_values(zones, zid)  # a stored zone's fields: changing one never blanks the others
    with st.form("zn_form"):
        st.caption(session.tr("zn_form_note"))
        shape = st.text_area(session.tr("zn_geometry"), key=f"zn_geometry_{zid}")
        risks = [str(r) for r in cannabis.Risk]
        risk = st.selectbox(session.tr("zn_risk"), risks, index=risks.index(start["risk"]), key=f"zn_risk_{zid}",
                            format_func=lambda r: label(RISK, r, lang))
        years = st.text_input(session.tr("zn_years"), value=start["years"], key=f"zn_years_{zid}")
        source = st.text_input(session.tr("pc_source"), value=start["source"], key=f"zn_source_{zid}")
        notes = st.text_area(session.tr("f_notes"), value=start["notes"], key=f"zn_notes_{zid}")
        if st.form_submit_button(session.tr("save")):
            try:
                zone = cannabis.zone_from_form(zones, zid, shape_text=shape, risk=risk, years=years, source=source,
                                               notes=notes)
                session.flash(session.tr("zn_saved", **cannabis.save_zone(store, zone, author=editor)))
                st.rerun()
            except HotspotError as exc:
                st.error(session.message(exc))
    if zid:
        with st.form("zn_retire_form"):
            reason = st.text_input(session.tr("cam_retire_reason"), key=f"zn_retire_reason_{zid}")
            if st.form_submit_button(session.tr("zn_retire")):
                try:
                    cannabis.retire_zone(store, zid, author=editor, reason=reason)
                    session.flash(session.tr("zn_retired", id=zid))
                    st.rerun()
                except HotspotError as exc:
                    st.error(session.message(exc))
