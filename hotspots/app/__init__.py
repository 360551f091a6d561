"""The Streamlit glue: the only package that imports Streamlit."""
