"""Policy Lens core: data loading and validation, filters, search, theme tagging, figures, exports.

Nothing in this package imports Streamlit (ruff's banned-api rule enforces it); the app wraps it in components/.
"""
