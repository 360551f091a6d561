"""Streamlit entry point: page configuration, the page list (by role), and run."""

from __future__ import annotations

import streamlit as st

from hotspots.accounts import navigation
from hotspots.app import ui

st.set_page_config(page_title="Hotspot Elbasan", page_icon="🗺️", layout="wide")
ui.lang()
with ui.fault_guard():  # a database fault is a translated message, never a traceback (issue 10)
    ui.check_session()  # every run: the login is checked against the store
    forced = ui.must_change_password()
    allowed = [
        st.Page(f"pages/{name}.py", title=ui.tr("page_account") if name == "login" and ui.user() else ui.tr(title),
                icon=icon, url_path=name,
                default=(name == ("login" if forced else "map")),
                visibility="visible" if navigation.in_menu(ui.role(), permission) else "hidden")
        for name, title, icon, permission in navigation.PAGES
        if not forced or name == "login"
    ]
    page = st.navigation(allowed)
    ui.sidebar()
    page.run()
