"""Themes: the article as a reader with theme highlights, a paragraph-by-theme grid and the keywords behind each tag."""

from components.view import render

render()
