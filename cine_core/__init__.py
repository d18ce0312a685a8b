"""CineAI domain library: data, taste, scoring and the refresh queue. Never imports streamlit."""

LOCAL_USER_ID = "00000000-0000-4000-8000-000000000001"
LOCAL_USER_EMAIL = "me@cineai.local"
