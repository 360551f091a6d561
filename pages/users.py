"""Accounts (admin): list, add with a role, remove. Passwords are stored only as bcrypt hashes."""

from __future__ import annotations

import streamlit as st

from hotspots import auth, ui, views
from hotspots.errors import HotspotError

author = ui.require("manage_users")
st.title(ui.tr("page_users"))
store = ui.store()
st.dataframe(views.accounts_table(auth.list_users(store), ui.lang()), hide_index=True, width="stretch")
with st.form("user_add"):
    name = st.text_input(ui.tr("login_user"), key="user_name")
    role = st.selectbox(ui.tr("col_role"), [str(r) for r in auth.Role], key="user_role",
                        format_func=lambda r: ui.tr(f"role_{r}"))
    password = st.text_input(ui.tr("login_password"), type="password", key="user_password")
    if st.form_submit_button(ui.tr("user_add")):
        try:
            auth.add_user(store, name, role, password, author=author)
            st.success(ui.tr("saved", result=name))
        except HotspotError as exc:
            st.error(exc.message(ui.lang()))
others = [n for n in auth.list_users(store)["name"] if n != author]
if others:
    gone = st.selectbox(ui.tr("user_remove"), others, key="user_remove_name")
    if st.button(ui.tr("user_remove"), key="user_remove_button"):
        auth.remove_user(store, gone, author=author)
        st.rerun()
