"""TODO"""
import streamlit as st

st.title("onboarding")
