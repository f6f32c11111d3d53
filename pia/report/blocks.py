"""The report as ordered, format-neutral content: what the PDF and the HTML page both render.

Every string here is plain text exactly as it should read; renderers escape it for their format.
Nothing here is markup, and nothing is recomputed: it is all read off the Evaluation and the Bank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pia.report.meta import ReportMeta


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 2 inside a section, 3 below that
    anchor: str = ""  # a stable id for bookmarks and HTML fragment links


@dataclass(frozen=True)
class Text:
    text: str
    style: str = "body"  # body, lead, muted, alert
    label: str = ""  # printed in bold before the text


@dataclass(frozen=True)
class Facts:
    """Label and value pairs (the cover, a finding's ratings)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Cell:
    text: str
    level: str | None = None  # a risk level: the cell takes the level's colour


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty
    caption: str = ""


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class HeatMaps:
    """Severity x likelihood grids with finding counts, inherent beside residual."""

    severity_names: tuple[str, ...]  # index 0 is severity 1
    likelihood_names: tuple[str, ...]
    matrix: tuple[tuple[str, ...], ...]  # matrix[severity - 1][likelihood - 1] -> level
    inherent: tuple[tuple[int, ...], ...]  # counts, same indexing
    residual: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class LevelBar:
    label: str
    level: str | None  # None: no findings on this criterion
    rank: int  # 0 for no level, 1 for the lowest, ...
    findings: int
    board_level: str | None = None  # the oversight board's own level, when it set one
    board_rank: int = 0


@dataclass(frozen=True)
class LevelChart:
    levels: tuple[str, ...]  # lowest first
    bars: tuple[LevelBar, ...]
    board: bool = False  # show the board's level beside the engine's (a review record is given)


@dataclass(frozen=True)
class RatingGrid:
    """The ratings' heat map: one row per criterion, one column per level (lowest first, after a
    "No finding" column); the engine's residual level and the board's own level are marked in
    their cells, side by side when they agree. Uses LevelBar's level and board_level."""

    levels: tuple[str, ...]
    bars: tuple[LevelBar, ...]

    NO_LEVEL = "No finding"
    ENGINE = "Engine"
    BOARD = "Board"
    LEGEND = (
        "Engine marks the level the engine computed from the answers (after mitigation); Board "
        "marks the level the oversight board set, with its reason in the review record. A row "
        "with no Board mark is a criterion the board did not rate."
    )

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.NO_LEVEL, *self.levels)

    def marks(self, bar: LevelBar) -> tuple[tuple[str, str | None], ...]:
        """For each column: the marks in it ("Engine", "Board", "Engine and Board" or "") and
        the level that colours it when marked (None for an empty or "No finding" cell)."""
        cells = []
        for column in self.columns:
            level = None if column == self.NO_LEVEL else column
            names = []
            if bar.level == level:
                names.append(self.ENGINE)
            if bar.board_level is not None and bar.board_level == level:
                names.append(self.BOARD)
            cells.append((" and ".join(names), level if names else None))
        return tuple(cells)


@dataclass(frozen=True)
class FindingView:
    rule: str
    title: str
    criterion: str  # the criterion's name
    explanation: str
    justification: str
    inherent: str  # e.g. "severity significant (3) x likelihood maximum (4) = Very high"
    inherent_level: str
    residual: str
    residual_level: str
    triggers: tuple[tuple[str, str], ...]  # (question text or computed label, answer shown)
    mitigations: tuple[str, ...]
    actions: tuple[str, ...]
    citations: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceLine:
    filename: str
    sha256: str
    size: int


@dataclass(frozen=True)
class AnswerEntry:
    question: str  # id
    text: str
    answer: str  # "" when unanswered
    required: bool
    note: str = ""
    evidence: tuple[EvidenceLine, ...] = ()
    problem: str = ""  # why a given answer was not accepted


Block = (
    Heading
    | Text
    | Facts
    | Table
    | Bullets
    | HeatMaps
    | LevelChart
    | RatingGrid
    | FindingView
    | AnswerEntry
)


@dataclass(frozen=True)
class Section:
    id: str  # cover, summary, heatmap, findings, coverage, answers, methodology
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ReportDocument:
    meta: ReportMeta
    status_label: str  # e.g. "Draft" or "Submitted, revision 3"
    is_draft: bool
    outcome: str  # overall level or "Prohibited"
    fingerprint: str
    bank_id: str
    bank_version: str
    subject: str  # PDF subject line
    sections: tuple[Section, ...]
    level_colours: dict[str, str] = field(default_factory=dict)  # level -> "#rrggbb"
    redacted: bool = False

    @property
    def running_header(self) -> str:
        return f"{self.meta.title} · {self.status_label}"
