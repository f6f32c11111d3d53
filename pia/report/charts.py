"""Charts drawn with reportlab.graphics: the risk heat maps and a criterion's level bar."""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors

from pia.report.blocks import HeatMaps
from pia.report.fonts import FONT
from pia.report.levels import NO_LEVEL_COLOUR, text_colour_on

CELL = 44.0  # side of one grid cell, points
LABEL_WIDTH = 62.0  # room for severity names left of a grid
GAP = 26.0  # between the two grids
TITLE_HEIGHT = 18.0
AXIS_HEIGHT = 26.0  # likelihood names and axis title under a grid
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b76")


def heat_map_drawing(heat: HeatMaps, colours: Mapping[str, str]) -> Drawing:
    """Inherent and residual grids side by side; each cell shows its count and level."""
    grid_width = LABEL_WIDTH + 4 * CELL
    width = 2 * grid_width + GAP
    height = TITLE_HEIGHT + 4 * CELL + AXIS_HEIGHT + 6
    drawing = Drawing(width, height)
    for index, (title, counts) in enumerate(
        (
            ("Before mitigation (inherent)", heat.inherent),
            ("After mitigation (residual)", heat.residual),
        )
    ):
        grid = _grid(heat, counts, title, colours)
        grid.translate(index * (grid_width + GAP), 0)
        drawing.add(grid)
    return drawing


def _grid(
    heat: HeatMaps, counts: tuple[tuple[int, ...], ...], title: str, colours: Mapping[str, str]
) -> Group:
    group = Group()
    top = AXIS_HEIGHT + 4 * CELL
    group.add(String(LABEL_WIDTH, top + 6, title, fontName=FONT, fontSize=9, fillColor=INK))
    for severity in range(1, 5):
        y = AXIS_HEIGHT + (severity - 1) * CELL
        name = _name(heat.severity_names, severity)
        group.add(
            String(
                LABEL_WIDTH - 5,
                y + CELL / 2 - 3,
                f"{name} {severity}",
                fontName=FONT,
                fontSize=6.5,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
        for likelihood in range(1, 5):
            x = LABEL_WIDTH + (likelihood - 1) * CELL
            level = heat.matrix[severity - 1][likelihood - 1]
            background = colours.get(level, NO_LEVEL_COLOUR)
            ink = colors.HexColor(text_colour_on(background))
            group.add(
                Rect(
                    x,
                    y,
                    CELL,
                    CELL,
                    fillColor=colors.HexColor(background),
                    strokeColor=colors.white,
                    strokeWidth=1.5,
                )
            )
            count = counts[severity - 1][likelihood - 1]
            group.add(
                String(
                    x + CELL / 2,
                    y + CELL / 2 - 2,
                    str(count) if count else "·",
                    fontName=FONT,
                    fontSize=14 if count else 10,
                    fillColor=ink,
                    textAnchor="middle",
                )
            )
            group.add(
                String(
                    x + CELL / 2,
                    y + 4,
                    level,
                    fontName=FONT,
                    fontSize=5.5,
                    fillColor=ink,
                    textAnchor="middle",
                )
            )
    for likelihood in range(1, 5):
        x = LABEL_WIDTH + (likelihood - 0.5) * CELL
        name = (
            heat.likelihood_names[likelihood - 1]
            if len(heat.likelihood_names) >= likelihood
            else ""
        )
        group.add(
            String(
                x,
                AXIS_HEIGHT - 9,
                f"{name} {likelihood}",
                fontName=FONT,
                fontSize=6.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    group.add(
        String(
            LABEL_WIDTH + 2 * CELL,
            2,
            "Likelihood",
            fontName=FONT,
            fontSize=7.5,
            fillColor=INK,
            textAnchor="middle",
        )
    )
    axis = String(0, 0, "Severity", fontName=FONT, fontSize=7.5, fillColor=INK, textAnchor="middle")
    # Rotated a quarter turn counter-clockwise, reading upwards beside the severity names.
    severity_axis = Group(axis, transform=(0, 1, -1, 0, 9, AXIS_HEIGHT + 2 * CELL))
    group.add(severity_axis)
    return group


def _name(names: tuple[str, ...], value: int) -> str:
    return names[value - 1] if len(names) >= value else ""


def level_bar_drawing(
    rank: int, levels: int, level: str | None, colours: Mapping[str, str], width: float = 120.0
) -> Drawing:
    """A bar as long as the level's rank among `levels`; an empty track for no findings."""
    height = 10.0
    drawing = Drawing(width, height)
    drawing.add(
        Rect(0, 0, width, height, fillColor=colors.HexColor(NO_LEVEL_COLOUR), strokeColor=None)
    )
    if rank and levels:
        fill = colours.get(level or "", NO_LEVEL_COLOUR)
        drawing.add(
            Rect(
                0,
                0,
                width * rank / levels,
                height,
                fillColor=colors.HexColor(fill),
                strokeColor=colors.HexColor("#8a949c"),
                strokeWidth=0.4,
            )
        )
    return drawing
