"""Expo (CIIE): one metric across editions 1 to 8, the chosen editions in detail, deals against exhibitors."""

from components.view import render

render()
