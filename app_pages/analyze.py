"""Analyse a text: any policy text through the same lens as the CGTN article (the text stays in the session)."""

from components.view import render

render()
