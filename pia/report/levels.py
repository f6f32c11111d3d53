"""Colours and ranks of risk levels, shared by the PDF charts and the HTML page."""

from __future__ import annotations

from pia.engine.bank.model import Bank
from pia.engine.evaluation.result import PROHIBITED

# Light enough for black text, from the lowest level (green) to the highest (red).
_RAMP = ("#cde8d2", "#f6e7a1", "#f5b57e", "#e98a80")
PROHIBITED_COLOUR = "#7a1f2b"  # dark: takes white text
NO_LEVEL_COLOUR = "#eceff1"


def level_tones(bank: Bank) -> dict[str, str]:
    """Each level's tone, "tone-0" (lowest) to "tone-3" (highest), or "tone-prohibited": the
    bank's levels spread over the ramp by position. HTML uses these as CSS classes."""
    count = len(bank.levels)
    tones = {}
    for index, level in enumerate(bank.levels):
        position = 0 if count == 1 else round(index * (len(_RAMP) - 1) / (count - 1))
        tones[level] = f"tone-{position}"
    tones[PROHIBITED] = "tone-prohibited"
    return tones


def level_colours(bank: Bank) -> dict[str, str]:
    """Each level's colour (the PDF's), following level_tones."""
    return {
        level: PROHIBITED_COLOUR if tone == "tone-prohibited" else _RAMP[int(tone[5:])]
        for level, tone in level_tones(bank).items()
    }


def text_colour_on(background: str) -> str:
    return "#ffffff" if background == PROHIBITED_COLOUR else "#111111"
