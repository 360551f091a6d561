"""Cannabis-risk zones (activities 1.9.1–1.9.3): the public view for everyone; the zones for staff.

The public sees only what 1.9.3 allows: territories where cultivation was found, large
enough, generalised; never persons, sources or notes. Staff import, change and retire zones.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from hotspots import cannabis, places_maps, settings, ui, units
from hotspots.errors import HotspotError
from hotspots.i18n import t  # format functions may run outside the script run: bind the language
from hotspots.maps import add_boundary, new_map

lang = ui.lang()
store = ui.store()
editor = ui.user() if ui.can("edit") else None
st.title(ui.tr("page_cannabis"))
st.caption(ui.tr("zn_intro"))

zones = cannabis.read_zones(store)
view = cannabis.public_view(zones)
st.info(ui.tr("zn_public_note", ha=f"{view.min_area_ha:g}", hidden=view.hidden))
fmap = new_map(basemap=settings.basemap(), zoom=11)
add_boundary(fmap, units.municipality(), units.city_unit(), lang)
places_maps.add_zones_layer(fmap, view.zones, lang, note=ui.tr("zn_legend_public", ha=f"{view.min_area_ha:g}"))
if editor:
    places_maps.add_zones_layer(fmap, zones, lang, show=False, note=ui.tr("zn_legend_staff"))
places_maps.add_layer_control(fmap)
places_maps.add_osm_attribution(fmap)
ui.show_map(fmap, key="zn_map", height=480)

st.subheader(ui.tr("zn_per_unit"))
st.dataframe(view.per_unit, hide_index=True, width="stretch", key="zn_per_unit_table")
st.subheader(ui.tr("zn_trends"))
st.caption(ui.tr("zn_trends_note"))
trend = cannabis.unit_trends(zones)
st.dataframe(trend.assign(label=[ui.tr(f"zn_trend_{v}") for v in trend["label"]]), hide_index=True, width="stretch",
             key="zn_trends_table")

if editor:
    st.subheader(ui.tr("zn_staff"))
    st.dataframe(zones.drop(columns="geometry"), hide_index=True, width="stretch", key="zn_staff_table")
    upload = st.file_uploader(ui.tr("zn_import"), type=["geojson", "json"], key="zn_upload")
    if upload is not None and st.button(ui.tr("cam_import_button"), key="zn_import_go"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "zones.geojson"
            path.write_bytes(upload.getvalue())
            try:
                done = cannabis.import_zones(store, path, author=editor)
                st.success(", ".join(f"{r['id']} {r['result']}" for r in done))
            except HotspotError as exc:
                st.error(exc.message(lang))
    with st.form("zn_form"):
        st.caption(ui.tr("zn_form_note"))
        zid = st.selectbox(ui.tr("zn_which"), ["", *zones["id"]], key="zn_id",
                           format_func=lambda z: z or t("zn_new", lang))
        shape = st.text_area(ui.tr("zn_geometry"), key="zn_geometry")
        risk = st.selectbox(ui.tr("zn_risk"), [str(r) for r in cannabis.Risk], key="zn_risk",
                            format_func=lambda r: t(f"risk_{r}", lang))
        years = st.text_input(ui.tr("zn_years"), key="zn_years")
        source = st.text_input(ui.tr("f_source"), key="zn_source")
        notes = st.text_area(ui.tr("f_notes"), key="zn_notes")
        if st.form_submit_button(ui.tr("save")):
            try:
                old = zones.set_index("id").geometry.get(zid) if zid else None
                geom = cannabis.geometry_from_text(shape, old)
                zone = cannabis.make_zone(geometry=geom, risk=risk, years=years, source=source, notes=notes,
                                          id=zid or None)
                st.success(ui.tr("zn_saved", **cannabis.save_zone(store, zone, author=editor)))
            except HotspotError as exc:
                st.error(exc.message(lang))
