"""Data policy: the Data 20 Measures (6 parts, 20 articles, the article's four pillars) and the policy timeline."""

from components.view import render

render()
