"""The question bank as immutable values.

A Bank is built once by the loader (`bank.loader.load_bank`) from questions/*.yaml and never
changes afterwards. Everything specific to a question, criterion, rule or statute lives in the YAML;
these classes only give it shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Question types, as written in the bank's `type:` key.
CHOICE = "choice"  # one of `choices` -> str
MULTI = "multi"  # any of `choices` -> list[str]
YESNO = "yesno"  # -> bool
NUMBER = "number"  # -> int | float, with unit, min, max
TEXT = "text"  # one line -> str
LONGTEXT = "longtext"  # paragraphs -> str
DATE = "date"  # ISO 8601 calendar date -> str "YYYY-MM-DD"
GROUP_NUMBERS = "group_numbers"  # one number per group -> dict[str, int | float]
QUESTION_TYPES = (CHOICE, MULTI, YESNO, NUMBER, TEXT, LONGTEXT, DATE, GROUP_NUMBERS)

# What a mitigation lowers.
SEVERITY = "severity"
LIKELIHOOD = "likelihood"


@dataclass(frozen=True)
class Location:
    """Where something was written: file (relative to the bank folder), 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Expression:
    """A condition or formula from the bank, compiled once at load time.

    `run(env)` takes a mapping of question and computed-value ids to their current values (None
    when unanswered or hidden) and returns the result. `names` are the ids the source refers to.
    """

    source: str
    names: frozenset[str]
    run: Callable[[Mapping[str, Any]], Any] = field(compare=False, repr=False)
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Citation:
    source: str  # e.g. "RCW 43.386.080(1)"
    note: str = ""  # e.g. what it says, or "unverified"
    url: str = ""


@dataclass(frozen=True)
class Choice:
    value: str  # stable, stored in answers
    label: str  # shown to people
    help: str = ""
    exclusive: bool = False  # a multiple-choice option chosen only on its own ("None of these")


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    text: str
    type: str
    help: str = ""
    required: bool = False
    show_if: Expression | None = None  # already combined with the section's show_if
    criteria: tuple[str, ...] = ()
    descriptive: bool = False  # describes the system without informing a criterion
    sensitive: bool = False  # redacted when a report is published
    sensitive_reason: str = (
        ""  # why, as the public reads it ("[withheld: ...]"); "" for the default
    )
    choices: tuple[Choice, ...] = ()  # choice and multi
    groups: tuple[Choice, ...] = ()  # group_numbers: one number per group
    unit: str = ""  # number and group_numbers
    min: float | None = None
    max: float | None = None
    citations: tuple[Citation, ...] = ()
    location: Location | None = field(default=None, compare=False)

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    description: str = ""
    questions: tuple[str, ...] = ()  # question ids in order


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    description: str
    sources: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Computed:
    """A value derived from answers, e.g. the false-match-rate disparity ratio."""

    id: str
    label: str
    expr: Expression
    help: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Mitigation:
    id: str
    text: str  # what the safeguard is, in plain words
    when: Expression
    lowers: str  # SEVERITY or LIKELIHOOD
    by: int = 1
    why: str = ""
    # The answers that put the safeguard in place, when the bank declares them; otherwise they are
    # read from `when` (pia.engine.planning). Question id -> answer, in the bank's order.
    answers: tuple[tuple[str, Any], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    criterion: str
    explanation: str  # why it matters, for an oversight board
    when: Expression
    severity: int  # 1-4 (negligible, limited, significant, maximum)
    likelihood: int  # 1-4
    justification: str = ""  # one line: why this severity and likelihood
    mitigations: tuple[Mitigation, ...] = ()
    actions: tuple[str, ...] = ()  # recommended actions
    citations: tuple[Citation, ...] = ()
    location: Location | None = field(default=None, compare=False)
    # For each action, the answers that carrying it out gives (empty when the bank declares none).
    action_answers: tuple[tuple[tuple[str, Any], ...], ...] = field(default=(), compare=False)
    # Profile ids: a jurisdiction-specific rule fires only when one of them is chosen.
    profiles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Element:
    """A statutory element of a profile and the questions that cover it.

    The element is addressed only when every visible `core` question is answered (all of
    `questions` when no core is named); it does not apply when `when` is false.
    """

    id: str
    cite: str
    text: str
    questions: tuple[str, ...]
    core: tuple[str, ...] = ()
    when: Expression | None = None


@dataclass(frozen=True)
class Prohibition:
    """Under this profile, the rule firing means the use is prohibited unless `unless` holds."""

    rule: str
    provision: str
    note: str = ""
    unless: Expression | None = None


@dataclass(frozen=True)
class Obligation:
    """A duty that applies when the worst residual level reaches `min_level` (and `when` holds)."""

    id: str
    text: str
    cite: str
    min_level: str
    when: Expression | None = None


@dataclass(frozen=True)
class MeetingRequirement:
    """How many community meetings a profile's law asks for, and where it says so."""

    required: int
    cite: str
    text: str = ""


# What a profile's calendar dates are counted from: the board's approving decision (its meeting
# date), the end of the public comment period, and the publication of the final report.
ANCHOR_DECISION = "decision"
ANCHOR_COMMENT_PERIOD_END = "comment_period_end"
ANCHOR_FINAL_PUBLICATION = "final_publication"
CALENDAR_ANCHORS = (ANCHOR_DECISION, ANCHOR_COMMENT_PERIOD_END, ANCHOR_FINAL_PUBLICATION)


@dataclass(frozen=True)
class CalendarRule:
    """A date a profile's law sets: `months` and `days` after the anchor event, then (when
    `every_months` is set) again every `every_months` months."""

    id: str
    title: str
    cite: str
    after: str  # one of CALENDAR_ANCHORS
    text: str = ""
    months: int = 0
    days: int = 0
    every_months: int = 0  # 0: once


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    description: str = ""
    citations: tuple[Citation, ...] = ()
    elements: tuple[Element, ...] = ()
    prohibitions: tuple[Prohibition, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    # Citation sources that belong to this jurisdiction (matched as prefixes): shown in findings
    # only when the profile is chosen.
    sources: tuple[str, ...] = ()
    community_meetings: MeetingRequirement | None = None
    calendar: tuple[CalendarRule, ...] = ()

    def owns(self, citation: Citation) -> bool:
        return any(citation.source.startswith(prefix) for prefix in self.sources)


@dataclass(frozen=True)
class CalibrationCase:
    """A public case the bank's levels are checked against (tests/bank/calibration/<id>.yaml)."""

    id: str
    title: str
    level: str  # the overall level the public record supports
    source: str


@dataclass(frozen=True)
class Calibration:
    """What each level means and the cases that anchor it (calibration.yaml)."""

    principles: str = ""
    meanings: tuple[tuple[str, str], ...] = ()  # (level, what it means)
    cases: tuple[CalibrationCase, ...] = ()


@dataclass(frozen=True)
class ScaleStep:
    value: int  # 1-4
    name: str  # e.g. "negligible"
    description: str = ""


@dataclass(frozen=True)
class Bank:
    id: str
    version: str
    title: str
    description: str
    levels: tuple[str, ...]  # lowest first, e.g. ("Low", "Moderate", "High", "Very high")
    severity_scale: tuple[ScaleStep, ...]
    likelihood_scale: tuple[ScaleStep, ...]
    matrix: tuple[tuple[str, ...], ...]  # matrix[severity - 1][likelihood - 1] -> level
    sections: tuple[Section, ...]
    questions: Mapping[str, Question]  # in section order
    criteria: Mapping[str, Criterion]
    computed: Mapping[str, Computed]  # in evaluation (dependency) order
    rules: Mapping[str, Rule]
    profiles: Mapping[str, Profile]
    digest: str = ""  # SHA-256 of the bank's files, for telling two copies of a version apart
    # Question ids in the order their show_if conditions must be decided (dependencies first).
    visibility_order: tuple[str, ...] = ()
    calibration: Calibration = field(default_factory=Calibration)

    def level_for(self, severity: int, likelihood: int) -> str:
        return self.matrix[severity - 1][likelihood - 1]

    def level_rank(self, level: str | None) -> int:
        """0 for no level, 1 for the lowest level, and so on."""
        return 0 if level is None else self.levels.index(level) + 1
