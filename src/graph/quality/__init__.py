"""Checks on a valid Dataset: lint, duplicates, counts."""
