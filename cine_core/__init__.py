"""CineAI domain library, packages by concern (see README "Code map"). Never imports streamlit."""
