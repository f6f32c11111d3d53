"""calibration.yaml (optional): the principles behind the levels and the public cases they are
checked against. The methodology document prints it; tests/bank/calibration holds the cases."""

from __future__ import annotations

from typing import Any

from pia.engine.bank.model import Calibration, CalibrationCase, Location
from pia.engine.bank.problems import Code, did_you_mean
from pia.engine.bank.shape import Shape

# The outcome word, as pia.engine.evaluation.result.PROHIBITED (the bank package may not import it).
PROHIBITED = "Prohibited"


def read_calibration(data: Any, shape: Shape, levels: tuple[str, ...]) -> Calibration:
    top = shape.mapping(data, Location(shape.file, 1, 1), shape.file)
    if top is None:
        return Calibration()
    shape.keys(top, shape.file, ("calibration",))
    if "calibration" not in top:
        return Calibration()
    head = shape.mapping(top["calibration"], top.value_loc("calibration"), "calibration")
    if head is None:
        return Calibration()
    shape.keys(head, "calibration", ("principles",), ("levels", "cases"))
    allowed = (*levels, PROHIBITED)  # "Prohibited" as written in bank files
    meanings = []
    for item, location in shape.entries(head, "levels", "calibration"):
        entry = shape.mapping(item, location, "a calibration level")
        if entry is None:
            continue
        shape.keys(entry, "a calibration level", ("level", "meaning"))
        level = _level(entry, shape, allowed, "a calibration level")
        if level:
            meanings.append((level, shape.text(entry, "meaning", "a calibration level")))
    cases = []
    for item, location in shape.entries(head, "cases", "calibration"):
        entry = shape.mapping(item, location, "a calibration case")
        if entry is None:
            continue
        shape.keys(entry, "a calibration case", ("id", "title", "level", "source"))
        case_id = shape.ident(entry, "id", "calibration case id")
        level = _level(entry, shape, allowed, "a calibration case")
        if case_id and level:
            cases.append(
                CalibrationCase(
                    id=case_id,
                    title=shape.text(entry, "title", "a calibration case"),
                    level=level,
                    source=shape.text(entry, "source", "a calibration case"),
                )
            )
    return Calibration(
        principles=shape.text(head, "principles", "calibration"),
        meanings=tuple(meanings),
        cases=tuple(cases),
    )


def _level(entry: Any, shape: Shape, allowed: tuple[str, ...], what: str) -> str:
    level = shape.text(entry, "level", what)
    if level and level not in allowed:
        shape.add(
            Code.UNKNOWN_LEVEL,
            entry.value_loc("level"),
            f"{what} names {level!r}, which is not a level of the bank",
            did_you_mean(level, allowed) or "levels: " + ", ".join(allowed),
        )
        return ""
    return level
