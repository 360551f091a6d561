"""Login page: account name and password (bcrypt hashes in the store), logout."""

from __future__ import annotations

import streamlit as st

from hotspots import ui

st.title(ui.tr("page_login") if not ui.user() else ui.tr("page_logout"))
if st.session_state.pop("auth_expired", False):
    st.warning(ui.tr("login_expired"))
if ui.user():
    st.write(f"{ui.tr('logged_in_as')}: **{ui.user()}** · {ui.tr('role_' + str(ui.role()))}")
    if st.button(ui.tr("logout"), key="logout_button"):
        ui.logout()
        st.rerun()
else:
    st.caption(ui.tr("login_intro"))
    with st.form("login_form"):
        name = st.text_input(ui.tr("login_user"), key="login_name")
        password = st.text_input(ui.tr("login_password"), type="password", key="login_password")
        submitted = st.form_submit_button(ui.tr("login_button"))
    if submitted:
        if ui.login(name, password):
            st.rerun()
        else:
            st.error(ui.tr("login_failed"))
