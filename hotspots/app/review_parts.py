"""The review on the page: the work list of a period, each row's one-click actions (persists, resolved …)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from hotspots.app.login import user
from hotspots.app.session import lang, message, store, tr
from hotspots.base.errors import HotspotError
from hotspots.plan import editing, versions
from hotspots.plan.plan import Plan
from hotspots.plan.store import Store
from hotspots.review import review
from hotspots.review.review import Review


#: Session key: the version of each hotspot when its one-click "persists" was first shown ({id: version}).
K_RV_VERSIONS = "rv_versions"


def cited_plan(store: Store, period: str, *, dataset: str) -> Plan:
    """Show which plan version the review of ``period`` cites (the one it was closed under); return that plan."""
    version, plan, last = versions.review_plan(store, period, dataset=dataset)
    st.caption(versions.citation(version, last, versions.changes(store, version.number), lang()))
    return plan


def review_work(rv: Review, state: dict[str, Any], period: str, *, dataset: str, unit: int | None,
                versions: dict[str, int]) -> None:
    """Show staff what is left of the review of ``period`` (one-click "persists"), and closing or reopening it.

    ``versions`` are the hotspots' versions read before ``rv``'s rows: a "persists" is saved
    with the version its row was first shown at, and refused if the hotspot changed since.
    """
    author = user() or ""
    closed = bool(state["closed"])
    left_to_do = review.todo(rv, unit=unit)
    shown: dict[str, int] = st.session_state.setdefault(K_RV_VERSIONS, {})
    with st.expander(tr("rv_todo", period=period, n=len(left_to_do)), expanded=not left_to_do.empty and not closed):
        st.caption(tr("rv_other_outcome"))
        try:
            for row in left_to_do.itertuples(index=False):
                name_col, button_col = st.columns([4, 1])
                name_col.text(f"{row.id} · {row.name}")
                version = shown.setdefault(str(row.id), versions.get(str(row.id), 0))
                if button_col.button(tr("rv_persists_button"), key=f"rv_persists_{row.id}", disabled=closed):
                    shown.pop(str(row.id), None)  # saved or refused: the next run shows the stored version
                    editing.record_review(store(), str(row.id), period, outcome="persists", author=author,
                                          version=version)
                    st.rerun()
            if closed:
                reason = st.text_input(tr("rv_reopen_reason"), key="rv_reopen_reason")
                if st.button(tr("rv_reopen"), key="rv_reopen_button"):
                    editing.reopen_review(store(), period, author=author, reason=reason, dataset=dataset)
                    st.rerun()
            else:
                reason = st.text_input(tr("rv_close_reason"), key="rv_close_reason")
                if st.button(tr("rv_close", period=period), key="rv_close_button"):
                    editing.close_review(store(), period, author=author, reason=reason, dataset=dataset)
                    st.rerun()
        except HotspotError as exc:
            st.error(message(exc))
