"""What the report's HTML template needs to lay out a ReportDocument's blocks: shared by the
signed-in report page and the public report."""

from __future__ import annotations

from collections.abc import Mapping

from pia.report import blocks as report_blocks

BLOCK_KINDS: Mapping[type, str] = {
    report_blocks.Heading: "heading",
    report_blocks.Text: "text",
    report_blocks.Facts: "facts",
    report_blocks.Table: "table",
    report_blocks.Bullets: "bullets",
    report_blocks.HeatMaps: "heatmaps",
    report_blocks.LevelChart: "levelchart",
    report_blocks.FindingView: "finding",
    report_blocks.AnswerEntry: "answer",
}


def block_kind(block: object) -> str:
    return BLOCK_KINDS[type(block)]


def bar_percent(rank: int, levels: int) -> int:
    return round(100 * rank / levels) if levels else 0
