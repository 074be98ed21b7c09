"""Inputs to a validated Dataset: case files, validation, streaming, resolution."""
