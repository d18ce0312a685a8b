"""Streamlit widgets shared by app.py and the pages. UI only: data comes from cine_core."""
