"""Imports of Letterboxd, IMDb and Trakt exports. The face: service (import a file), background (the worker's
import lane), report and text (limits and messages); the parsers and matchers are internal."""

__all__ = ["background", "report", "service", "text"]
