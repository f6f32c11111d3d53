"""A section page shown from the stored answers (SectionForms.display, no WTForms form built) shows
exactly what a WTForms form built from the same answers would: same texts, same chosen options,
same notes, same lock version, for every question of the real bank and for junk stored values."""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pia.engine.bank.model import Bank
from pia.web.wizard.forms import SectionForms

JUNK: tuple[Any, ...] = (
    None,
    "",
    "yes",
    "31/03/2025",
    "2025-02-30",
    "0999-01-02",
    "2026-01-15",
    True,
    False,
    0,
    -3,
    12.0,
    0.0001,
    1e20,
    float("nan"),
    float("inf"),
    [],
    ["verify", 3],
    {"women": 1.5, "men": "x", "other": 2},
    {"women": True},
    "Line one\nline two <b>&</b>",
)


def assert_same_display(
    forms: SectionForms, answers: dict[str, Any], notes: dict[str, Any], lock: int
) -> None:
    for section in forms.bank.sections:
        built = forms.for_display(section.id, answers, notes, lock).display()
        direct = forms.display(section.id, answers, notes, lock)
        assert direct == built, section.id


def test_the_real_banks_complete_answers_display_as_the_form_shows_them(
    bank: Bank, complete_answers: dict[str, Any]
) -> None:
    forms = SectionForms(bank)
    notes = {qid: f"Note on {qid}" for qid in list(bank.questions)[::3]}
    assert_same_display(forms, complete_answers, notes, 7)
    sample = forms.display(bank.sections[0].id, complete_answers, notes, 7)
    assert sample.lock_version == "7"
    assert any(item.selected or item.value or item.groups for item in sample.items)


def test_no_answers_display_blank(bank: Bank) -> None:
    forms = SectionForms(bank)
    assert_same_display(forms, {}, {}, 0)
    for section in bank.sections:
        for item in forms.display(section.id, {}, {}, 0).items:
            assert (item.value, item.note, item.note_open, item.selected) == ("", "", False, set())


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_junk_stored_values_display_as_the_form_shows_them(bank: Bank, data: Any) -> None:
    forms = SectionForms(bank)
    answers = {
        qid: data.draw(st.sampled_from(JUNK) | st.dates(min_value=datetime.date(1, 1, 1)))
        for qid in bank.questions
    }
    notes = {qid: data.draw(st.sampled_from(["", "n", "x" * 5])) for qid in bank.questions}
    assert_same_display(forms, answers, notes, data.draw(st.integers(0, 10**6)))
