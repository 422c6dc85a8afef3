"""Receivers of the residents app (connected in ResidentsConfig.ready)."""
