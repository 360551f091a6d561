"""Streamlit entry point: page configuration, the page list (by role), and run."""

from __future__ import annotations

import streamlit as st

from hotspots import ui

st.set_page_config(page_title="Hotspot Elbasan", page_icon="🗺️", layout="wide")
ui.lang()
# Every page, its title, icon and the permission it needs, in one place. Pages a role
# may not use are not listed (so their URL falls back to the map), and refuse to run.
# The URL of a page is its file name (as Streamlit's own lookup of pages/ expects).
PAGES = [
    ("map", "page_map", ":material/map:", "view_map"),
    ("review", "page_review", ":material/compare_arrows:", "view_review"),
    ("plan", "page_plan", ":material/checklist:", "view_plan"),
    ("overview", "page_overview", ":material/summarize:", "view_map"),
    ("cameras", "page_cameras", ":material/videocam:", "export"),  # issue 15: every logged-in role
    ("cannabis", "page_cannabis", ":material/grass:", "view_map"),  # issue 15: public view for all
    ("add", "page_add", ":material/add_location_alt:", "edit"),
    ("update", "page_update", ":material/edit_location_alt:", "edit"),
    ("users", "page_users", ":material/group:", "manage_users"),
    ("login", "page_login", ":material/login:", None),
]
allowed = [
    st.Page(f"pages/{name}.py", title=ui.tr(title), icon=icon, url_path=name, default=(name == "map"))
    for name, title, icon, permission in PAGES
    if permission is None or permission.startswith("view_") or ui.can(permission)
]
page = st.navigation(allowed)
ui.sidebar()
page.run()
