"""Account page: log in; when logged in, change one's own password and log out of every session.

Changing the password is forced after a one-time password.
"""

from __future__ import annotations

import streamlit as st

from hotspots.accounts import auth
from hotspots.app import login, session
from hotspots.base.errors import HotspotError
from hotspots.base.labels import ROLE
from hotspots.base.plain import markdown_text


name = login.user()
st.title(session.tr("page_login") if not name else session.tr("page_account"))
if st.session_state.pop(session.K_EXPIRED, False):
    st.warning(session.tr("login_ended"))
if name is None:
    st.caption(session.tr("login_intro"))
    login.login_form()
    st.stop()

st.write(f"{session.tr('logged_in_as')}: **{markdown_text(name)}** · {session.code_label(ROLE, str(login.role()))}")
if login.must_change_password():
    st.warning(session.tr("pw_must_change"))
with st.form("password_form", clear_on_submit=True):
    st.subheader(session.tr("pw_change"))
    old = st.text_input(session.tr("pw_current"), type="password", key="pw_old", max_chars=200)
    new = st.text_input(session.tr("pw_new"), type="password", key="pw_new", max_chars=200)
    again = st.text_input(session.tr("pw_again"), type="password", key="pw_again", max_chars=200)
    st.caption(session.tr("pw_policy", limit=auth.MIN_PASSWORD))
    if st.form_submit_button(session.tr("pw_change_button")):
        try:
            if new != again:
                st.error(session.tr("pw_differ"))
            else:
                auth.change_own_password(session.store(), name, old, new)
                login.start_new_session()
                st.session_state[session.K_NOTICE] = session.tr("pw_changed")
                st.rerun()
        except HotspotError as exc:
            st.error(session.message(exc))
if notice := st.session_state.pop(session.K_NOTICE, None):
    st.success(notice)
if st.button(session.tr("logout"), key="logout_button"):
    login.logout()
    st.rerun()
