"""Conflict analysis in option form: the Graph Model for Conflict Resolution (GMCR)."""
