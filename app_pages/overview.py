"""Overview: what Policy Lens is, the article's headline figures beside their sources, the themes it covers."""

from components.view import render

render()
