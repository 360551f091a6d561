"""Streamlit entry point: page configuration, the page list (by role), and run."""

from __future__ import annotations

import streamlit as st

from hotspots.accounts import navigation
from hotspots.app import login, session, widgets
from hotspots.base import settings


st.set_page_config(page_title=f"Hotspot {settings.MUNICIPALITY.short_name}", page_icon="🗺️", layout="wide")
session.lang()
with session.fault_guard():  # a database fault is a translated message, never a traceback
    login.check_session()  # every run: the login is checked against the store
    forced = login.must_change_password()
    allowed = [
        st.Page(f"pages/{name}.py", title=session.tr("page_account") if name == "login" and login.user() else session.tr(title),
                icon=icon, url_path=name,
                default=(name == ("login" if forced else "map")),
                visibility="visible" if navigation.in_menu(login.role(), permission) else "hidden")
        for name, title, icon, permission in navigation.PAGES
        if not forced or name == "login"
    ]
    page = st.navigation(allowed)
    widgets.sidebar()
    page.run()
