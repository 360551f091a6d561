"""The hot spots found in the incidents on the pages: the Gi* layer and the proposals staff accept or dismiss."""

from __future__ import annotations

import streamlit as st

from hotspots.app.loaders import gi_evidence, incident_dataset, incidents
from hotspots.app.login import role, user
from hotspots.app.session import flash, lang, message, store, tr
from hotspots.base.errors import HotspotError
from hotspots.evidence import found_hotspots, gi_maps, gi_views
from hotspots.maps.builders import FoliumMap


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
