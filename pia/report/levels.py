"""Colours and ranks of risk levels, shared by the PDF charts and the HTML page."""

from __future__ import annotations

from pia.engine.evaluation import PROHIBITED
from pia.engine.model import Bank

# Light enough for black text, from the lowest level (green) to the highest (red).
_RAMP = ("#cde8d2", "#f6e7a1", "#f5b57e", "#e98a80")
PROHIBITED_COLOUR = "#7a1f2b"  # dark: takes white text
NO_LEVEL_COLOUR = "#eceff1"


def level_colours(bank: Bank) -> dict[str, str]:
    """Each of the bank's levels mapped onto the ramp by its position, plus Prohibited."""
    count = len(bank.levels)
    colours = {}
    for index, level in enumerate(bank.levels):
        position = 0 if count == 1 else round(index * (len(_RAMP) - 1) / (count - 1))
        colours[level] = _RAMP[position]
    colours[PROHIBITED] = PROHIBITED_COLOUR
    return colours


def text_colour_on(background: str) -> str:
    return "#ffffff" if background == PROHIBITED_COLOUR else "#111111"
