"""The ratings' heat map in the PDF: criteria down, levels across, the engine's and the board's
level marked in their cells (coloured as the level), with the legend under it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from pia.report.blocks import RatingGrid
from pia.report.fonts import FONT
from pia.report.levels import NO_LEVEL_COLOUR, text_colour_on
from pia.report.pdf_styles import RULE

MARK_SIZE = 7.5


def rating_grid_flowables(
    grid: RatingGrid,
    para: Callable[[str, str], Flowable],
    colours: Mapping[str, str],
    width: float,
) -> list[Flowable]:
    """The grid as a table (labels wrap; marks are plain text in the level's colours) and its
    legend. `para(text, style)` makes the document's paragraphs."""
    columns = grid.columns
    label_width = 0.3 * width
    column_width = (width - label_width) / len(columns)
    rows: list[list[object]] = [
        [para("Criterion", "cell_head"), *(para(name, "cell_head") for name in columns)]
    ]
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (1, 1), (-1, -1), MARK_SIZE),
        ("ALIGN", (1, 1), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (1, 1), (-1, -1), 1.2, colors.white),
        ("LINEBELOW", (0, 0), (-1, 0), 0.3, RULE),
        ("BACKGROUND", (1, 1), (-1, -1), colors.HexColor(NO_LEVEL_COLOUR)),
    ]
    for row_index, bar in enumerate(grid.bars, start=1):
        row: list[object] = [para(bar.label, "cell")]
        for column_index, (marks, level) in enumerate(grid.marks(bar), start=1):
            row.append(marks)
            if level is not None:
                background = colours.get(level, NO_LEVEL_COLOUR)
                cell = (column_index, row_index)
                style.append(("BACKGROUND", cell, cell, colors.HexColor(background)))
                style.append(("TEXTCOLOR", cell, cell, colors.HexColor(text_colour_on(background))))
        rows.append(row)
    table = Table(rows, colWidths=[label_width, *([column_width] * len(columns))], repeatRows=1)
    table.setStyle(TableStyle(style))
    return [table, para(grid.LEGEND, "muted")]
