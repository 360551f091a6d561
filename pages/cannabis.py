"""Cannabis-risk zones (activities 1.9.1–1.9.3): the public view for everyone; the zones for staff.

The public sees only what 1.9.3 allows: territories where cultivation was found, large
enough, generalised; never persons, sources or notes. Staff import, add, change and retire zones.
"""

from __future__ import annotations

import streamlit as st

from hotspots.places import cannabis
from hotspots.places import maps as places_maps
from hotspots.places import store as places_store
from hotspots.base import settings
from hotspots.app import ui
from hotspots.plan import units
from hotspots.base.errors import HotspotError
from hotspots.base.i18n import t  # format functions may run outside the script run: bind the language
from hotspots.maps.builders import add_boundary, new_map
from hotspots.places.tables import for_people
from hotspots.base.labels import RISK, label

lang = ui.lang()
store = ui.store()
editor = ui.user() if ui.can("edit_places") else None
st.title(ui.tr("page_cannabis"))
st.caption(ui.tr("zn_intro"))
ui.show_flash()  # after a save the page reruns, so the map shows the zone

zones = cannabis.read_zones(store)
view = cannabis.public_view(zones)
st.info(ui.tr("zn_public_note", ha=f"{view.min_area_ha:g}", hidden=view.hidden))
fmap = new_map(basemap=settings.basemap(), zoom=11)
add_boundary(fmap, units.municipality(), units.city_unit(), lang)
places_maps.add_zones_layer(fmap, view.zones, lang, show=editor is None,
                            note=ui.tr("zn_legend_public", ha=f"{view.min_area_ha:g}"))
if editor:  # staff see the exact zones first, every one of them (risk assessments without a finding too)
    places_maps.add_zones_layer(fmap, zones, lang, name=ui.tr("layer_cannabis_staff"), note=ui.tr("zn_legend_staff"))
places_maps.add_layer_control(fmap)
places_maps.add_osm_attribution(fmap)
ui.show_map(fmap, key="zn_map", height=480)

st.subheader(ui.tr("zn_per_unit"))
st.dataframe(for_people(view.per_unit, lang), hide_index=True, width="stretch", key="zn_per_unit_table")
st.subheader(ui.tr("zn_trends"))
st.caption(ui.tr("zn_trends_note"))
st.dataframe(for_people(cannabis.unit_trends(zones), lang), hide_index=True, width="stretch", key="zn_trends_table")

if editor:
    st.subheader(ui.tr("zn_staff"))
    shown = zones.drop(columns=["geometry", "retired_at", "retired_reason"])  # the register holds no retired zone
    st.dataframe(for_people(shown, lang), hide_index=True, width="stretch", key="zn_staff_table")
    upload = st.file_uploader(ui.tr("zn_import"), type=["geojson", "json"], key="zn_upload",
                              max_upload_size=ui.upload_mb(settings.IMPORT_MAX_BYTES))
    if upload is not None and st.button(ui.tr("cam_import_button"), key="zn_import_go"):
        try:
            ui.flash(places_store.results_text(cannabis.import_zones(store, upload.getvalue(), author=editor)))
            st.rerun()
        except HotspotError as exc:
            st.error(ui.message(exc))
    zid = st.selectbox(ui.tr("zn_which"), ["", *zones["id"]], key="zn_id", format_func=lambda z: z or t("zn_new", lang))
    start = cannabis.form_values(zones, zid)  # a stored zone's fields: changing one never blanks the others
    with st.form("zn_form"):
        st.caption(ui.tr("zn_form_note"))
        shape = st.text_area(ui.tr("zn_geometry"), key=f"zn_geometry_{zid}")
        risks = [str(r) for r in cannabis.Risk]
        risk = st.selectbox(ui.tr("zn_risk"), risks, index=risks.index(start["risk"]), key=f"zn_risk_{zid}",
                            format_func=lambda r: label(RISK, r, lang))
        years = st.text_input(ui.tr("zn_years"), value=start["years"], key=f"zn_years_{zid}")
        source = st.text_input(ui.tr("pc_source"), value=start["source"], key=f"zn_source_{zid}")
        notes = st.text_area(ui.tr("f_notes"), value=start["notes"], key=f"zn_notes_{zid}")
        if st.form_submit_button(ui.tr("save")):
            try:
                zone = cannabis.zone_from_form(zones, zid, shape_text=shape, risk=risk, years=years, source=source,
                                               notes=notes)
                ui.flash(ui.tr("zn_saved", **cannabis.save_zone(store, zone, author=editor)))
                st.rerun()
            except HotspotError as exc:
                st.error(ui.message(exc))
    if zid:
        with st.form("zn_retire_form"):
            reason = st.text_input(ui.tr("cam_retire_reason"), key=f"zn_retire_reason_{zid}")
            if st.form_submit_button(ui.tr("zn_retire")):
                try:
                    cannabis.retire_zone(store, zid, author=editor, reason=reason)
                    ui.flash(ui.tr("zn_retired", id=zid))
                    st.rerun()
                except HotspotError as exc:
                    st.error(ui.message(exc))
