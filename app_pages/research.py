"""Research and patents: Stanford AI Index shares by measure and area, one edition at a time."""

from components.view import render

render()
