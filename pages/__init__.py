"""Streamlit page scripts, run by app.py's navigation; nothing here is imported."""

__all__: list[str] = []
