"""Streamlit entry point: page configuration, the page list (by role), and run."""

from __future__ import annotations

import streamlit as st

from hotspots import ui

# Every page, its title, icon and the permission it needs, in one place. Pages a role
# may not use are hidden from the menu; their URL still opens them, and they ask a
# visitor to log in (then run, so a copied link lands where it points) or refuse a role
# without the permission. An account with a one-time password sees only its account page.
# The URL of a page is its file name (as Streamlit's own lookup of pages/ expects).
PAGES = [
    ("map", "page_map", ":material/map:", "view_map"),
    ("review", "page_review", ":material/compare_arrows:", "view_review"),
    ("plan", "page_plan", ":material/checklist:", "view_plan"),
    ("overview", "page_overview", ":material/summarize:", "view_map"),
    ("incidents", "page_incidents", ":material/local_police:", "view_map"),  # issue 13
    ("add", "page_add", ":material/add_location_alt:", "edit"),
    ("update", "page_update", ":material/edit_location_alt:", "edit"),
    ("users", "page_users", ":material/group:", "manage_users"),
    ("login", "page_login", ":material/login:", None),
]

st.set_page_config(page_title="Hotspot Elbasan", page_icon="🗺️", layout="wide")
ui.lang()
with ui.fault_guard():  # a database fault is a translated message, never a traceback (issue 10)
    ui.check_session()  # every run: the login is checked against the store
    forced = ui.must_change_password()
    allowed = [
        st.Page(f"pages/{name}.py", title=ui.tr("page_account" if name == "login" and ui.user() else title),
                icon=icon, url_path=name,
                default=(name == ("login" if forced else "map")),
                visibility="visible" if permission is None or permission.startswith("view_") or ui.can(permission) else "hidden")
        for name, title, icon, permission in PAGES
        if not forced or name == "login"
    ]
    page = st.navigation(allowed)
    ui.sidebar()
    page.run()
