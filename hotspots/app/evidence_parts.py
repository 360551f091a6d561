"""The evidence on the pages: the Gi* layer, the proposals staff accept or dismiss, the review page's evidence sections."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from hotspots.app.loaders import council_evidence, gi_evidence, incident_dataset, incidents, units_layer
from hotspots.app.login import can, role, sees_incident_points, user
from hotspots.app.session import flash, lang, message, store, tr
from hotspots.app.widgets import show_map
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.evidence import found_hotspots, gi_maps, gi_views
from hotspots.evidence import service as evidence_service
from hotspots.evidence import views as evidence_views
from hotspots.maps.builders import FoliumMap
from hotspots.plan.plan import Plan
from hotspots.review import maps as review_maps
from hotspots.review.review import Review


# --- Gi* hot spots, emerging hot spots, displacement ------------------------------
K_GI_SHOW = "gi_show"


def add_gi_layer(fmap: FoliumMap, period: str) -> None:
    """For logged-in roles: a checkbox, and when ticked the Gi* cells of ``period`` with their legend and a note."""
    if role() is None or incidents().empty:
        return
    if st.checkbox(tr("gi_show_layer"), key=K_GI_SHOW):
        gi_maps.add_gi_layer(fmap, gi_evidence(period).detection, lang())
        notes = st.session_state.setdefault("inc_map_notes", [])
        notes += [tr("gi_layer_note"), tr("gi_explain_cells")]


def proposal_actions(evidence: gi_views.Evidence, period: str) -> None:
    """Show staff one box per proposed hot zone: accept it into the add flow, or dismiss it with a reason."""
    author = user() or ""
    example = incident_dataset() == "example"
    for i, proposal in evidence.proposals.iterrows():
        where = f"{proposal['lat']:.5f}, {proposal['lon']:.5f}"
        with st.expander(f"{where} · {proposal['source']}"):
            name = st.text_input(tr("gi_proposal_name"), value=tr("gi_default_name", where=where), key=f"gi_name_{i}")
            reason = st.text_input(tr("gi_dismiss_reason"), key=f"gi_reason_{i}")
            c1, c2 = st.columns(2)
            try:
                if c1.button(tr("gi_accept"), key=f"gi_accept_{i}", disabled=example,
                             help=tr("gi_example_no_accept") if example else None):
                    saved = found_hotspots.accept(store(), proposal, author=author, name=name, period=period,
                                                  size_m=evidence.detection.grid.size)
                    flash(tr("gi_accepted", id=saved["id"]))
                    st.rerun()
                if c2.button(tr("gi_dismiss"), key=f"gi_dismiss_{i}"):
                    found_hotspots.dismiss(store(), str(proposal["key"]), reason=reason, author=author)
                    flash(tr("gi_dismissed"))
                    st.rerun()
            except HotspotError as exc:
                st.error(message(exc))


def gi_section(rv: Review, plan: Plan, period: str, gdf: gpd.GeoDataFrame, *, unit: int | None, shade: str) -> None:
    """Show logged-in roles the Gi* hot zones of ``period``, the emerging hot spots and displacement (review page)."""
    if role() is None or incidents().empty:
        return
    lg = lang()
    evidence = gi_evidence(period)
    st.subheader(tr("gi_section", period=period))
    st.caption(tr("gi_explain_cells"))
    st.markdown(f"**{tr('gi_designated_title')}**")
    st.caption(tr("gi_designated_explain"))
    st.dataframe(gi_views.designated_table(evidence, gdf, lg), hide_index=True, width="stretch", key="gi_designated")
    st.markdown(f"**{tr('gi_proposals_title')}**")
    st.caption(tr("gi_proposals_explain"))
    if evidence.proposals.empty:
        st.caption(tr("gi_no_proposals"))
    else:
        st.dataframe(gi_views.proposal_table(evidence, lg), hide_index=True, width="stretch", key="gi_proposals")
    if can("edit"):
        proposal_actions(evidence, period)
    st.markdown(f"**{tr('ehsa_title')}**")
    st.caption(tr("ehsa_explain"))
    ehsa_map = review_maps.review_map(rv, plan=plan, lang=lg, units_layer=units_layer(), basemap=settings.basemap(),
                                      unit=unit, category=shade)
    gi_maps.add_emerging_layer(ehsa_map, evidence.trend, lg)
    show_map(ehsa_map, key="ehsa_map", height=480)
    c1, c2 = st.columns(2)
    c1.caption(tr("ehsa_by_unit"))
    c1.dataframe(gi_views.emerging_by_unit(evidence, units_layer(), lg), hide_index=True, width="stretch",
                 key="ehsa_units")
    c2.caption(tr("ehsa_by_hotspot"))
    c2.dataframe(gi_views.emerging_by_hotspot(evidence, gdf, period, lg), hide_index=True, width="stretch",
                 key="ehsa_hotspots")
    st.markdown(f"**{tr('disp_title')}**")
    st.caption(tr("disp_explain", min=settings.DISPLACEMENT_MIN_COUNT, alpha=settings.DISPLACEMENT_ALPHA))
    disp = gi_views.displacement_table(incidents(), gdf, lg, sees_points=sees_incident_points(), upto=period)
    if disp.empty:
        st.caption(tr("disp_none"))
    else:
        st.dataframe(disp, hide_index=True, width="stretch", key="disp_table")


# --- evidence for the council: concentration, forecast scores, CompStat, near repeats ----------------------
def council_section(period: str) -> None:
    """Show the evidence of the review ending in ``period``, as this session's role may see it (review page)."""
    if incidents().empty:
        return
    lg = lang()
    st.subheader(tr("ev_section", period=period))
    st.caption(tr("ev_disclosure"))
    measure = st.radio(tr("ev_measure"), ["count", "harm"], horizontal=True, key="ev_measure",
                       format_func=lambda m: evidence_service.measure_label(m, lg))
    ev = council_evidence(period, measure)
    for key, texts in evidence_views.lines(ev, lg).items():
        st.markdown(f"**{tr(evidence_views.TITLES[key])}**")
        st.caption(texts[0])
        for text in texts[1:]:
            st.text(text)
        if key == "concentration":
            if not ev.curve.empty:
                st.line_chart(ev.curve, x="cells", y="incidents", x_label=tr("ev_curve_x"), y_label=tr("ev_curve_y"),
                              height=240)
            st.dataframe(evidence_views.concentration_view(ev.concentration, lg), hide_index=True, width="stretch",
                         key="ev_conc_table")
        elif key == "forecast":
            st.dataframe(evidence_views.forecast_view(ev.forecast, lg), hide_index=True, width="stretch",
                         key="ev_fc_table")
        elif key == "compstat":
            st.dataframe(evidence_views.compstat_view(ev.compstat, lg), hide_index=True, width="stretch",
                         key="ev_cs_table")
