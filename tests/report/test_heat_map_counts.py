"""Each heat-map grid counts its own ratings, cell by cell: inherent before, residual after.

A total per grid cannot tell the two apart (both count every finding once), so the cells are
compared with counts made here from the findings, on an evaluation where mitigations move findings
to other cells; and the chart drawn in the PDF shows those same numbers under each grid's title.
"""

from __future__ import annotations

from collections import Counter

import pytest
from reportlab.graphics.shapes import Group, String

from pia.engine import evaluate
from pia.engine.bank.model import Bank
from pia.engine.evaluation.result import Evaluation
from pia.report import build_report
from pia.report.blocks import HeatMaps
from pia.report.charts import heat_map_drawing

# The threshold rule fires; the second examiner lowers its likelihood: inherent != residual.
MITIGATED = {"product_name": "FaceFind", "threshold": 80, "mode": "live", "second_examiner": True}


@pytest.fixture(scope="module")
def mitigated(bank: Bank) -> Evaluation:
    evaluation = evaluate(bank, MITIGATED, ["wa"])
    assert any(f.inherent != f.residual for f in evaluation.findings), "nothing was mitigated"
    return evaluation


def grid(counts: Counter) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(counts[(s, lk)] for lk in range(1, 5)) for s in range(1, 5))


def heat_of(bank: Bank, evaluation: Evaluation) -> HeatMaps:
    document = build_report(bank, evaluation, MITIGATED, {}, {"title": "Heat"})
    blocks = [block for section in document.sections for block in section.blocks]
    return next(block for block in blocks if isinstance(block, HeatMaps))


def test_each_grid_counts_its_own_ratings(bank: Bank, mitigated: Evaluation) -> None:
    inherent = Counter((f.inherent.severity, f.inherent.likelihood) for f in mitigated.findings)
    residual = Counter((f.residual.severity, f.residual.likelihood) for f in mitigated.findings)
    heat = heat_of(bank, mitigated)
    assert heat.inherent == grid(inherent)
    assert heat.residual == grid(residual)
    assert heat.inherent != heat.residual


def cell_counts(grid_group: Group) -> list[int]:
    """What a grid's 16 cells show, in drawing order (severity 1-4, likelihood 1-4 in each).

    An empty cell shows a middle dot, read here as 0.
    """
    return [
        0 if item.text == "\u00b7" else int(item.text)
        for item in grid_group.contents
        if isinstance(item, String) and (item.text.isdigit() or item.text == "\u00b7")
    ]


def test_the_pdf_chart_draws_each_grid_with_its_counts(bank: Bank, mitigated: Evaluation) -> None:
    heat = heat_of(bank, mitigated)
    grids = [item for item in heat_map_drawing(heat, {}).contents if isinstance(item, Group)]
    assert len(grids) == 2
    for counts, drawn in zip((heat.inherent, heat.residual), grids, strict=True):
        assert cell_counts(drawn) == [count for row in counts for count in row]
