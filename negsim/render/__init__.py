"""Rendering results for people: terminal reports."""
