"""Hotspot mapping for the crime-prevention plan of the municipality of Elbasan.

The package is the library behind the Streamlit app: every page calls into it, and
everything it does can be called and tested without Streamlit. Only :mod:`hotspots.app.ui`
imports Streamlit.
"""

from __future__ import annotations


__version__ = "0.1.0"
