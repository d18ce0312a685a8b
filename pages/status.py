"""TODO"""
import streamlit as st

st.title("status")
