"""The unchanging HTML of each question, rendered once per bank from wizard/_parts.html.

A section page shows a dozen questions, each with its text, help, citations, options, note and
upload control; almost all of that is the same on every request. Rendering it once at start and
splicing in the few per-request attributes (checked, selected, disabled) keeps a section page cheap
to serve. The HTML itself stays in the template; this module only cuts it at the NUL markers.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment
from markupsafe import Markup

from pia.engine.bank.model import Bank
from pia.web.wizard.layout import QuestionLayout

MARK = "\0"


@dataclass(frozen=True)
class OptionParts:
    value: str
    open: Markup  # up to where "checked"/"selected" and "disabled" go
    close: Markup


@dataclass(frozen=True)
class QuestionParts:
    head: Markup  # legend or label, help, citations, unit hint
    options: tuple[OptionParts, ...]  # radios or checkboxes, or a select's options
    note_head: Markup
    upload: tuple[Markup, Markup, Markup]  # split where the two controls may be disabled


def _split(html: str, pieces: int) -> tuple[Markup, ...]:
    parts = str(html).split(MARK)
    if len(parts) != pieces:
        raise ValueError(
            f"wizard/_parts.html: expected {pieces - 1} marker(s), found {len(parts) - 1}"
        )
    return tuple(Markup(part) for part in parts)  # noqa: S704 - rendered by autoescaping Jinja


def build_parts(
    env: Environment, bank: Bank, layouts: dict[str, QuestionLayout]
) -> dict[str, QuestionParts]:
    """Question id -> its rendered parts, for every question of the bank."""
    macros = env.get_template("wizard/_parts.html").module
    parts = {}
    for question in bank.questions.values():
        shape = layouts[question.id]
        if shape.kind == "select":
            rendered = [macros.select_option(o) for o in shape.options]  # type: ignore[attr-defined]
        else:
            kind = "radio" if shape.kind == "radio" else "checkbox"
            rendered = [macros.option(o, question.id, kind) for o in shape.options]  # type: ignore[attr-defined]
        options = tuple(
            OptionParts(o.value, *_split(html, 2))
            for o, html in zip(shape.options, rendered, strict=True)
        )
        upload = _split(macros.upload(question), 3)  # type: ignore[attr-defined]
        parts[question.id] = QuestionParts(
            head=Markup(macros.head(question, shape)),  # type: ignore[attr-defined]  # noqa: S704
            options=options,
            note_head=Markup(macros.note_head(question)),  # type: ignore[attr-defined]  # noqa: S704
            upload=(upload[0], upload[1], upload[2]),
        )
    return parts
