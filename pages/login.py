"""Account page: log in; when logged in, change one's own password and log out of every session.

Changing the password is forced after a one-time password.
"""

from __future__ import annotations

import streamlit as st

from hotspots.accounts import auth
from hotspots.app import ui
from hotspots.base.errors import HotspotError
from hotspots.base.labels import ROLE
from hotspots.base.plain import markdown_text

name = ui.user()
st.title(ui.tr("page_login") if not name else ui.tr("page_account"))
if st.session_state.pop(ui.K_EXPIRED, False):
    st.warning(ui.tr("login_ended"))
if name is None:
    st.caption(ui.tr("login_intro"))
    ui.login_form()
    st.stop()

st.write(f"{ui.tr('logged_in_as')}: **{markdown_text(name)}** · {ui.code_label(ROLE, str(ui.role()))}")
if ui.must_change_password():
    st.warning(ui.tr("pw_must_change"))
with st.form("password_form", clear_on_submit=True):
    st.subheader(ui.tr("pw_change"))
    old = st.text_input(ui.tr("pw_current"), type="password", key="pw_old", max_chars=200)
    new = st.text_input(ui.tr("pw_new"), type="password", key="pw_new", max_chars=200)
    again = st.text_input(ui.tr("pw_again"), type="password", key="pw_again", max_chars=200)
    st.caption(ui.tr("pw_policy", limit=auth.MIN_PASSWORD))
    if st.form_submit_button(ui.tr("pw_change_button")):
        try:
            if new != again:
                st.error(ui.tr("pw_differ"))
            else:
                auth.change_own_password(ui.store(), name, old, new)
                ui.start_new_session()
                st.session_state[ui.K_NOTICE] = ui.tr("pw_changed")
                st.rerun()
        except HotspotError as exc:
            st.error(ui.message(exc))
if notice := st.session_state.pop(ui.K_NOTICE, None):
    st.success(notice)
if st.button(ui.tr("logout"), key="logout_button"):
    ui.logout()
    st.rerun()
