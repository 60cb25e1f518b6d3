"""Scenario files: the schema, safe loading with file positions, and cross-reference checks."""
