"""Accounts (admin): list, add with a role, change a role, reset a password, remove (confirmed).

Passwords are stored only as bcrypt hashes; a new account's and a reset password are
one-time passwords, to be changed at the first login. A role change, a reset and a
removal end every session of that account at once.
"""

from __future__ import annotations

import secrets

import streamlit as st

from hotspots.accounts import auth
from hotspots.app import login, session
from hotspots.base.errors import HotspotError
from hotspots.base.labels import ROLE
from hotspots.plan import views


author = login.require("manage_users")
lang = session.lang()
st.title(session.tr("page_users"))
store = session.store()
if notice := st.session_state.pop(session.K_NOTICE, None):
    st.success(notice)
if shown := st.session_state.pop("user_one_time", None):  # shown once, never stored in clear
    st.warning(session.tr("user_one_time", name=shown[0]))
    st.code(shown[1], language=None)
accounts = auth.list_users(store)
st.dataframe(views.accounts_table(accounts, lang), hide_index=True, width="stretch")
roles = [str(r) for r in auth.Role]


def _done(message: str) -> None:
    st.session_state[session.K_NOTICE] = message
    st.rerun()


with st.form("user_add", clear_on_submit=True):
    st.subheader(session.tr("user_add"))
    name = st.text_input(session.tr("login_user"), key="user_name", max_chars=40)
    role = st.selectbox(session.tr("col_role"), roles, key="user_role", format_func=lambda r: session.code_label(ROLE, r))
    if st.form_submit_button(session.tr("user_add")):
        password = secrets.token_urlsafe(15)
        try:
            auth.add_user(store, name, role, password, author=author, one_time=True)
            st.session_state["user_one_time"] = (name, password)
            _done(session.tr("saved", result=name))
        except HotspotError as exc:
            st.error(session.message(exc))

others = [n for n in accounts["name"] if n != author]
if others:
    st.subheader(session.tr("user_manage"))
    who = st.selectbox(session.tr("login_user"), others, key="user_target")
    current = str(accounts.set_index("name").loc[who, "role"])
    c1, c2, c3 = st.columns(3)
    with c1:
        new_role = st.selectbox(session.tr("col_role"), roles, index=roles.index(current), key="user_new_role",
                                format_func=lambda r: session.code_label(ROLE, r))
        if st.button(session.tr("user_set_role"), key="user_role_button", disabled=new_role == current):
            try:
                auth.set_role(store, who, new_role, author=author)
                _done(session.tr("user_role_done", name=who, role=session.code_label(ROLE, new_role)))
            except HotspotError as exc:
                st.error(session.message(exc))
    with c2:
        if st.button(session.tr("user_reset"), key="user_reset_button"):
            password = secrets.token_urlsafe(15)
            try:
                auth.set_password(store, who, password, author=author, one_time=True)
                st.session_state["user_one_time"] = (who, password)
                _done(session.tr("user_reset_done", name=who))
            except HotspotError as exc:
                st.error(session.message(exc))
    with c3:
        sure = st.checkbox(session.tr("user_remove_confirm", name=who), key="user_remove_sure")
        if st.button(session.tr("user_remove"), key="user_remove_button", disabled=not sure):
            try:
                auth.remove_user(store, who, author=author)
                st.session_state.pop("user_remove_sure", None)
                _done(session.tr("user_removed", name=who))
            except HotspotError as exc:
                st.error(session.message(exc))
