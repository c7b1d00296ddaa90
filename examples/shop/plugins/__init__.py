"""Plugins registered by class keyword (scenario: __init_subclass__ registry)."""
