"""Sources and method: every dataset with its provenance, confidence, column dictionary, table and CSV."""

from components.view import render

render()
