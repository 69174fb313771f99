"""Imports every component module that registers a record drawer, so a view of any page can be drawn anywhere."""

from components import analyze, evidence, expo, policy, provenance, reader, statements  # noqa: F401
