"""The plan's versions on the plan page: the versions and their changes, amending the plan, starting a new one."""

from __future__ import annotations

from datetime import date

import streamlit as st

from hotspots.app.session import code_label, flash, lang, message, tr
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.base.labels import PRIORITY
from hotspots.plan import model, versions
from hotspots.plan.plan import Plan, in_language
from hotspots.plan.store import Store


def versions_section(store: Store, plan: Plan, period: str, author: str | None) -> None:
    """Show which plan is in force in ``period``, every version and change; let ``author`` (if any) amend or renew."""
    version, _plan, last = versions.review_plan(store, period)
    st.subheader(tr("pv_title"))
    st.caption(versions.citation(version, last, versions.changes(store), lang()))
    st.dataframe(versions.versions_table(store, lang()), hide_index=True, width="stretch", key="pv_versions")
    found = versions.changes_table(store, lang())
    if found.empty:
        st.caption(tr("pv_no_changes"))
    else:
        st.dataframe(found, hide_index=True, width="stretch", key="pv_changes")
    if author:
        _amend_form(store, plan, author)
        _renew_form(store, author)


def _amend_form(store: Store, plan: Plan, author: str) -> None:
    with st.expander(tr("pv_amend")), st.form("pv_amend_form", clear_on_submit=False):
        example = next((a.id for p in plan.problems for a in p.activities), "1.1")
        st.caption(tr("pv_amend_help", example=example))
        action = st.selectbox(tr("pv_col_action"), [str(a) for a in versions.Action],
                              format_func=lambda a: code_label(versions.ACTION_LABELS, a), key="pv_action")
        target = st.text_input(tr("pv_target"), key="pv_target", max_chars=16)
        text_sq = st.text_input(tr("pv_text_sq"), key="pv_text_sq", max_chars=settings.NAME_MAX_LEN)
        text_en = st.text_input(tr("pv_text_en"), key="pv_text_en", max_chars=settings.NAME_MAX_LEN)
        priority = st.selectbox(tr("f_priority"), [str(p) for p in model.Priority],
                                format_func=lambda p: code_label(PRIORITY, p), key="pv_priority")
        institutions = st.multiselect(tr("pp_institutions"), list(plan.institutions),
                                      format_func=lambda k: in_language(plan.institutions[k], lang()),
                                      key="pv_institutions", placeholder=tr("pv_choose"))
        effective = st.selectbox(tr("pv_effective"), versions.effective_periods(store), key="pv_effective")
        meeting = st.text_input(tr("pv_col_meeting"), key="pv_meeting", max_chars=settings.NAME_MAX_LEN)
        decided = st.date_input(tr("pv_col_decided"), value=settings.today(), key="pv_decided")
        reason = st.text_area(tr("pv_col_reason"), key="pv_reason", max_chars=settings.NOTE_MAX_LEN)
        if st.form_submit_button(tr("pv_amend_save")):
            try:
                change = versions.amend(store, action, target, effective_period=effective, meeting=meeting,
                                        decided_on=_iso(decided), author=author, reason=reason, text_sq=text_sq,
                                        text_en=text_en, priority=priority, institutions=tuple(institutions))
            except HotspotError as exc:
                st.error(message(exc))
            else:
                flash(tr("pv_amended", id=change.target, period=change.effective_period))
                st.rerun()  # the plan above and the list of changes show it


def _renew_form(store: Store, author: str) -> None:
    with st.expander(tr("pv_renew")), st.form("pv_renew_form"):
        st.caption(tr("pv_renew_help"))
        first = st.selectbox(tr("pv_first_period"), versions.effective_periods(store), key="pv_first")
        meeting = st.text_input(tr("pv_col_meeting"), key="pv_renew_meeting", max_chars=settings.NAME_MAX_LEN)
        adopted = st.date_input(tr("pv_col_adopted"), value=settings.today(), key="pv_adopted")
        if st.form_submit_button(tr("pv_renew_save")):
            try:
                new = versions.renew(store, adopted_on=_iso(adopted), meeting=meeting, first_period=first, author=author)
            except HotspotError as exc:
                st.error(message(exc))
            else:
                flash(tr("pv_renewed", version=new.number, first=new.first_period, last=new.last_period))
                st.rerun()


def _iso(value: object) -> str:
    """Return a date input's value as ISO text ("" for none: the library then names the fault)."""
    return value.isoformat() if isinstance(value, date) else ""
