"""bank.yaml (metadata, scales, risk matrix, section order) and criteria.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pia.engine.bank.model import Criterion, Location, ScaleStep
from pia.engine.bank.problems import Code
from pia.engine.bank.shape import Shape
from pia.engine.bank.yamlpos import PosList, PosMap

DEFAULT_SCALE = (
    ScaleStep(1, "negligible"),
    ScaleStep(2, "limited"),
    ScaleStep(3, "significant"),
    ScaleStep(4, "maximum"),
)
DEFAULT_LEVELS = ("Low", "Moderate", "High", "Very high")


@dataclass(frozen=True)
class Meta:
    id: str
    version: str
    title: str
    description: str
    levels: tuple[str, ...]
    severity_scale: tuple[ScaleStep, ...]
    likelihood_scale: tuple[ScaleStep, ...]
    matrix: tuple[tuple[str, ...], ...]
    sections: tuple[tuple[str, Location], ...]  # section ids in order, where each was named


EMPTY_META = Meta("", "", "", "", DEFAULT_LEVELS, DEFAULT_SCALE, DEFAULT_SCALE, (), ())


def read_meta(data: Any, shape: Shape) -> Meta:
    start = Location(shape.file, 1, 1)
    bank = shape.mapping(data, start, "bank.yaml")
    if bank is None:
        return EMPTY_META
    shape.keys(
        bank,
        "bank.yaml",
        ("id", "version", "title", "risk_matrix", "levels", "sections"),
        ("description", "severity_scale", "likelihood_scale"),
    )
    bank_id = shape.text(bank, "id", "bank.yaml")
    if bank_id and not all(part.isalnum() for part in bank_id.replace("_", "-").split("-")):
        shape.add(
            Code.BAD_VALUE,
            bank.value_loc("id"),
            f"the bank id {bank_id!r} may hold only letters, digits, '-' and '_'",
        )
    levels = _levels(bank, shape)
    sections = []
    seen: dict[str, Location] = {}
    for item, location in shape.entries(bank, "sections", "bank.yaml"):
        section_id = shape.ident_value(item, location, "a section id")
        if section_id is None:
            continue
        if section_id in seen:
            shape.add(
                Code.DUPLICATE_ID,
                location,
                f"section {section_id!r} is listed twice",
                f"first at line {seen[section_id].line}",
            )
            continue
        seen[section_id] = location
        sections.append((section_id, location))
    return Meta(
        id=bank_id,
        version=shape.text(bank, "version", "bank.yaml"),
        title=shape.text(bank, "title", "bank.yaml"),
        description=shape.text(bank, "description", "bank.yaml"),
        levels=levels,
        severity_scale=_scale(bank, "severity_scale", shape),
        likelihood_scale=_scale(bank, "likelihood_scale", shape),
        matrix=_matrix(bank, levels, shape),
        sections=tuple(sections),
    )


def _levels(bank: PosMap, shape: Shape) -> tuple[str, ...]:
    levels: list[str] = []
    for item, location in shape.entries(bank, "levels", "bank.yaml"):
        level = shape.text_item(item, location, "a level")
        if level is None:
            continue
        if level in levels:
            shape.add(Code.DUPLICATE_ID, location, f"level {level!r} is listed twice")
            continue
        levels.append(level)
    if "levels" in bank and len(levels) < 2:
        shape.add(Code.BAD_VALUE, bank.value_loc("levels"), "a bank needs at least two levels")
    return tuple(levels) if len(levels) >= 2 else DEFAULT_LEVELS


def _scale(bank: PosMap, key: str, shape: Shape) -> tuple[ScaleStep, ...]:
    if key not in bank:
        return DEFAULT_SCALE
    steps = []
    for item, location in shape.entries(bank, key, "bank.yaml"):
        step = shape.mapping(item, location, f"a step of {key}")
        if step is None:
            continue
        shape.keys(step, f"a step of {key}", ("value", "name"), ("description",))
        value = shape.integer(step, "value", f"a step of {key}", 1, 4)
        if value is not None:
            steps.append(
                ScaleStep(
                    value,
                    shape.text(step, "name", "a scale step"),
                    shape.text(step, "description", "a scale step"),
                )
            )
    if [step.value for step in steps] != [1, 2, 3, 4]:
        shape.add(
            Code.BAD_VALUE,
            bank.value_loc(key),
            f"{key} must have exactly four steps with values 1, 2, 3, 4 in that order",
        )
        return DEFAULT_SCALE
    return tuple(steps)


def _matrix(bank: PosMap, levels: tuple[str, ...], shape: Shape) -> tuple[tuple[str, ...], ...]:
    """matrix[severity - 1][likelihood - 1]; a broken matrix falls back to all-lowest."""
    fallback = tuple((levels[0],) * 4 for _ in range(4))
    if "risk_matrix" not in bank:
        return fallback
    rows = bank["risk_matrix"]
    where = bank.value_loc("risk_matrix")
    if not isinstance(rows, PosList) or len(rows) != 4:
        shape.add(
            Code.BAD_VALUE,
            where,
            "risk_matrix must be a list of four rows (severity 1 to 4)",
        )
        return fallback
    matrix: list[tuple[str, ...]] = []
    broken = False
    for severity, row in enumerate(rows, start=1):
        row_loc = rows.item_loc(severity - 1)
        if not isinstance(row, PosList) or len(row) != 4:
            shape.add(
                Code.BAD_VALUE,
                row_loc,
                f"row {severity} of risk_matrix must list four levels (likelihood 1 to 4)",
            )
            broken = True
            continue
        cells = []
        for likelihood, cell in enumerate(row, start=1):
            if cell not in levels:
                shape.add(
                    Code.UNKNOWN_LEVEL,
                    row.item_loc(likelihood - 1),
                    f"risk_matrix[severity {severity}][likelihood {likelihood}] is {cell!r}, "
                    "which is not one of the levels",
                    "levels: " + ", ".join(levels),
                )
                broken = True
            cells.append(cell)
        matrix.append(tuple(cells))
    if broken:
        return fallback
    rank = {level: index for index, level in enumerate(levels)}
    for s in range(4):
        for lk in range(4):
            here = matrix[s][lk]
            before = [matrix[s][lk - 1]] if lk else []
            before += [matrix[s - 1][lk]] if s else []
            higher = [level for level in before if rank[level] > rank[here]]
            if higher:
                shape.add(
                    Code.MATRIX_NOT_MONOTONIC,
                    rows[s].item_loc(lk),
                    f"risk_matrix at severity {s + 1}, likelihood {lk + 1} is {here!r}, lower "
                    f"than {higher[0]!r} beside or above it",
                    "a more severe or more likely risk must never have a lower level",
                )
                return tuple(matrix)
    return tuple(matrix)


def read_criteria(data: Any, shape: Shape) -> dict[str, tuple[Criterion, Location]]:
    found: dict[str, tuple[Criterion, Location]] = {}
    top = shape.mapping(data, Location(shape.file, 1, 1), "criteria.yaml")
    if top is None:
        return found
    shape.keys(top, "criteria.yaml", ("criteria",))
    for item, location in shape.entries(top, "criteria", "criteria.yaml"):
        entry = shape.mapping(item, location, "a criterion")
        if entry is None:
            continue
        shape.keys(entry, "a criterion", ("id", "name", "description"), ("sources",))
        criterion_id = shape.ident(entry, "id", "criterion id")
        if not criterion_id:
            continue
        if criterion_id in found:
            shape.add(
                Code.DUPLICATE_ID,
                entry.value_loc("id"),
                f"criterion {criterion_id!r} is defined twice",
                f"first at {found[criterion_id][1]}",
            )
            continue
        found[criterion_id] = (
            Criterion(
                id=criterion_id,
                name=shape.text(entry, "name", "a criterion"),
                description=shape.text(entry, "description", "a criterion"),
                sources=shape.citations(entry, "sources", "a criterion"),
            ),
            entry.value_loc("id"),
        )
    return found
