"""Voices: every sentence of the article, attributed; search it, filter it by speaker, kind and theme, cite it."""

from components.view import render

render()
