"""Renders a section page's questions: from a skeleton made once per question, or live.

wizard/_question.html's `question` macro is rendered when the app starts for every question of the
bank, shown and hidden, without errors, with a skeleton item whose every per-request value (which
options are ticked, the inputs' texts, the note, whether it is open, the attached evidence) is a
numbered place-holder. A page then writes each question by joining the skeleton's fixed HTML with
this request's values, instead of running the macro: the macro is the one source of the HTML and
the skeleton is its output, so both ways give the same page. A question with errors (a rejected
save) runs the macro itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from pia.engine.bank.model import Bank
from pia.web.wizard.display import QuestionFields
from pia.web.wizard.layout import QuestionLayout
from pia.web.wizard.question_parts import QuestionParts

SLOT = "\x01"  # brackets a place-holder's number in a skeleton
Fill = Callable[[QuestionFields, Markup], str]


class _Slots:
    """Hands out numbered place-holders and remembers how each is filled."""

    def __init__(self) -> None:
        self.fills: list[Fill] = []

    def slot(self, fill: Fill) -> Markup:
        self.fills.append(fill)
        return Markup(f"{SLOT}{len(self.fills) - 1}{SLOT}")  # noqa: S704 - digits only


class _SlotGroups(Mapping[str, Markup]):
    def __init__(self, slots: _Slots, values: Sequence[str]) -> None:
        self._slots = slots
        self._values = values

    def __getitem__(self, value: str) -> Markup:
        return self._slots.slot(lambda item, _attached: escape(item.groups[value]))

    def __iter__(self) -> Any:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class _SkeletonItem:
    """Stands in for a QuestionFields while the skeleton is rendered (the same names)."""

    def __init__(self, question: Any, shape: QuestionLayout, slots: _Slots) -> None:
        self.question = question
        self.kind = shape.kind
        self.layout = shape
        self._slots = slots
        self.groups = _SlotGroups(slots, [g.value for g in question.groups])

    def tick(self, value: str, word: str) -> Markup:
        return self._slots.slot(lambda item, _attached: item.tick(value, word))

    @property
    def value(self) -> Markup:
        return self._slots.slot(lambda item, _attached: escape(item.value))

    @property
    def note(self) -> Markup:
        return self._slots.slot(lambda item, _attached: escape(item.note))

    @property
    def open_attr(self) -> Markup:
        return self._slots.slot(lambda item, _attached: item.open_attr)


@dataclass(frozen=True)
class Skeleton:
    fixed: tuple[str, ...]  # one more than fills: fixed[0] fill[0] fixed[1] ... fixed[-1]
    fills: tuple[Fill, ...]

    def fill(self, item: QuestionFields, attached: Markup) -> Markup:
        out = [self.fixed[0]]
        for fill, fixed in zip(self.fills, self.fixed[1:], strict=True):
            out.append(fill(item, attached))
            out.append(fixed)
        return Markup("".join(out))  # noqa: S704 - fixed parts from the macro, fills escaped


def _skeleton(
    macro: Any, question: Any, shape: QuestionLayout, shown: bool, parts: Any
) -> Skeleton:
    slots = _Slots()
    item = _SkeletonItem(question, shape, slots)
    attached = slots.slot(lambda _item, attached: attached)
    html = str(macro(item, shown, [], attached, parts))
    pieces = html.split(SLOT)
    fixed = tuple(pieces[0::2])
    order = tuple(int(number) for number in pieces[1::2])
    if len(pieces) % 2 != 1 or sorted(order) != list(range(len(slots.fills))):
        raise ValueError(f"question {question.id}: wizard/_question.html skeleton does not parse")
    return Skeleton(fixed, tuple(slots.fills[number] for number in order))


class QuestionRenderer:
    """The section template's `render_question(item, shown, errors, attached)`."""

    def __init__(
        self,
        env: Environment,
        bank: Bank,
        layouts: Mapping[str, QuestionLayout],
        parts: Mapping[str, QuestionParts],
    ) -> None:
        self._macro = env.get_template("wizard/_question.html").module.question  # type: ignore[attr-defined]
        self._parts = parts
        self._skeletons = {
            (qid, shown): _skeleton(self._macro, question, layouts[qid], shown, parts)
            for qid, question in bank.questions.items()
            for shown in (True, False)
        }

    def __call__(
        self, item: QuestionFields, shown: bool, errors: Sequence[str], attached: Markup
    ) -> Markup:
        if errors:
            return self.live(item, shown, errors, attached)
        return self._skeletons[(item.question.id, bool(shown))].fill(item, attached)

    def live(
        self, item: QuestionFields, shown: bool, errors: Sequence[str], attached: Markup
    ) -> Markup:
        """The question macro run for this request (what a skeleton stands in for)."""
        return Markup(self._macro(item, shown, errors, attached, self._parts))  # noqa: S704
