"""Streamlit entry point: page configuration, the page list, and run."""

from __future__ import annotations

import streamlit as st

from hotspots import ui

st.set_page_config(page_title="Hotspot Elbasan", page_icon="🗺️", layout="wide")
ui.lang()
PAGES = [
    st.Page("pages/map.py", title=ui.tr("page_map"), icon=":material/map:", url_path="harta", default=True),
    st.Page("pages/overview.py", title=ui.tr("page_overview"), icon=":material/summarize:", url_path="permbledhje"),
]
page = st.navigation(PAGES)
ui.sidebar()
page.run()
