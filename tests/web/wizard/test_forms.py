"""The form factory: bank questions -> WTForms fields -> engine answer values, and back."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from pia.engine.bank.model import Bank, Choice, Question, Section
from pia.web.wizard.fields import MultiCheckboxField, NumberField, OptionalRadioField
from pia.web.wizard.forms import SectionForms
from pia.web.wizard.layout import (
    KIND_CHECKBOXES,
    KIND_GROUPS,
    KIND_NUMBER,
    KIND_RADIO,
    KIND_SELECT,
    LONGTEXT_MAX,
)

MODES = tuple(Choice(v, v.title()) for v in ("verify", "search", "live"))
MANY = tuple(Choice(f"c{i}", f"Country {i}") for i in range(12))
QUESTIONS = (
    Question("mode", "use", "Mode of use?", "choice", help="How it is used.", choices=MODES),
    Question("sharing", "use", "Shared with?", "multi", choices=MODES, required=True),
    Question("warrant", "use", "Warrant?", "yesno"),
    Question("threshold", "use", "Threshold?", "number", unit="%", min=0, max=100),
    Question("people", "use", "People?", "number"),
    Question("vendor", "use", "Vendor?", "text"),
    Question("policy", "use", "Policy?", "longtext"),
    Question("start", "use", "Start date?", "date"),
    Question("country", "use", "Country?", "choice", choices=MANY),
    Question(
        "fmr",
        "use",
        "False-match rate by group",
        "group_numbers",
        unit="%",
        min=0,
        max=100,
        groups=(Choice("women", "Women"), Choice("men", "Men")),
    ),
    Question("data", "other", "A question named like a WTForms attribute", "text"),
)


def make_bank() -> Bank:
    by_section: dict[str, list[str]] = {}
    for q in QUESTIONS:
        by_section.setdefault(q.section, []).append(q.id)
    return Bank(
        id="t",
        version="1",
        title="t",
        description="",
        levels=("Low", "High"),
        severity_scale=(),
        likelihood_scale=(),
        matrix=(),
        sections=tuple(
            Section(s, s.title(), questions=tuple(ids)) for s, ids in by_section.items()
        ),
        questions={q.id: q for q in QUESTIONS},
        criteria={},
        computed={},
        rules={},
        profiles={},
    )


@pytest.fixture(scope="module")
def forms() -> SectionForms:
    return SectionForms(make_bank())


def post(forms: SectionForms, pairs: list[tuple[str, str]], asked: tuple[str, ...] = ()) -> Any:
    data = MultiDict([("lock_version", "3"), *[("asked", a) for a in asked], *pairs])
    return forms.from_post("use", data, {}, {})


def test_each_type_gets_its_field_and_kind(forms: SectionForms) -> None:
    form = forms.for_display("use", {}, {}, 0)
    kinds = {item.question.id: item.kind for item in form.items()}
    assert kinds["mode"] == KIND_RADIO
    assert kinds["warrant"] == KIND_RADIO
    assert kinds["sharing"] == KIND_CHECKBOXES
    assert kinds["country"] == KIND_SELECT  # more than a handful of options
    assert kinds["threshold"] == KIND_NUMBER
    assert kinds["fmr"] == KIND_GROUPS
    assert isinstance(form.answer("mode"), OptionalRadioField)
    assert isinstance(form.answer("sharing"), MultiCheckboxField)
    assert isinstance(form.answer("threshold"), NumberField)
    assert form.answer("mode").description == "How it is used."
    assert form.answer("mode").name == "mode"
    assert form.note("mode").name == "mode-note"
    assert form.answer("fmr").form["g_women"].name == "fmr.women"


def test_field_named_like_a_form_attribute_does_not_shadow_it(forms: SectionForms) -> None:
    form = forms.for_display("other", {"data": "x"}, {}, 0)
    assert form.answer("data").data == "x"
    assert isinstance(form.data, dict)  # the WTForms attribute still works


def test_stored_answers_round_trip_through_display_and_post(forms: SectionForms) -> None:
    answers = {
        "mode": "search",
        "sharing": ["verify", "live"],
        "warrant": False,
        "threshold": 99.5,
        "people": 1200,
        "vendor": "Acme",
        "policy": "Line one\nLine two",
        "start": "2025-03-31",
        "country": "c7",
        "fmr": {"women": 0.25, "men": 0.1},
    }
    shown = forms.for_display("use", answers, {"mode": "From the contract"}, 5)
    assert shown.lock_version.data == 5
    assert shown.note("mode").data == "From the contract"
    # What the browser would send back for this page, unchanged.
    pairs = [
        ("mode", "search"),
        ("sharing", "verify"),
        ("sharing", "live"),
        ("warrant", "no"),
        ("threshold", shown.answer("threshold")._value()),
        ("people", shown.answer("people")._value()),
        ("vendor", "Acme"),
        ("policy", "Line one\nLine two"),
        ("start", shown.answer("start")._value()),
        ("country", "c7"),
        ("fmr.women", shown.answer("fmr").form["g_women"]._value()),
        ("fmr.men", shown.answer("fmr").form["g_men"]._value()),
        ("mode-note", "From the contract"),
    ]
    form = post(forms, pairs, asked=tuple(answers))
    assert form.question_errors() == {}
    changes = form.changes()
    assert changes.values == answers
    assert changes.clear == ()
    assert changes.notes["mode"] == "From the contract"
    assert isinstance(changes.values["people"], int)  # 1200, not 1200.0


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("warrant", "yes", True),
        ("warrant", "no", False),
        ("threshold", " 80 ", 80),
        ("threshold", "99.9", 99.9),
        ("threshold", "1,000", None),  # bounds error below; value not taken
        ("people", "1,000", 1000),
        ("vendor", "  Acme Corp  ", "Acme Corp"),
        ("start", "2024-02-29", "2024-02-29"),
    ],
)
def test_form_text_becomes_engine_values(
    forms: SectionForms, name: str, value: str, expected: Any
) -> None:
    form = post(forms, [(name, value)], asked=(name,))
    assert form.changes().values.get(name) == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("threshold", "101", "Enter a number from 0% to 100%."),
        ("threshold", "-1", "Enter a number from 0% to 100%."),
        ("threshold", "eighty", "Enter a number, like 12 or 0.5."),
        ("threshold", "NaN", "Enter a number, like 12 or 0.5."),
        ("people", "Infinity", "Enter a number, like 12 or 0.5."),
        ("people", "1e400", "Enter a number smaller than a thousand million million."),
        ("start", "2023-02-29", "Enter a real date, for example 2025-03-31."),
        ("start", "yesterday", "Enter a real date, for example 2025-03-31."),
        ("mode", "everything", "Not a valid choice."),
        ("warrant", "maybe", "Not a valid choice."),
        ("country", "atlantis", "Not a valid choice."),
        ("fmr.women", "150", "Enter a number from 0% to 100%."),
        ("vendor", "x" * 2001, "Field cannot be longer than 2000 characters."),
    ],
)
def test_bad_values_are_errors_beside_their_question_and_not_taken(
    forms: SectionForms, name: str, value: str, message: str
) -> None:
    question = name.split(".")[0]
    form = post(
        forms,
        [(name, value), ("vendor", "kept")] if name != "vendor" else [(name, value)],
        asked=(question, "vendor"),
    )
    assert message in form.question_errors()[question]
    changes = form.changes()
    assert question not in changes.values
    assert question not in changes.clear  # a bad value never clears the stored answer
    if name != "vendor":
        assert changes.values["vendor"] == "kept"  # the other answers still count


def test_multi_rejects_values_it_does_not_offer(forms: SectionForms) -> None:
    form = post(forms, [("sharing", "verify"), ("sharing", "mars")], asked=("sharing",))
    assert "'mars' is not a valid choice" in form.question_errors()["sharing"][0]


def test_long_text_cap(forms: SectionForms) -> None:
    ok = post(forms, [("policy", "a" * LONGTEXT_MAX)], asked=("policy",))
    assert ok.changes().values["policy"] == "a" * LONGTEXT_MAX
    too_long = post(forms, [("policy", "a" * (LONGTEXT_MAX + 1))], asked=("policy",))
    assert "policy" in too_long.question_errors()


def test_empty_inputs_of_asked_questions_clear_them(forms: SectionForms) -> None:
    pairs = [
        ("threshold", ""),
        ("vendor", "   "),
        ("start", ""),
        ("fmr.women", ""),
        ("country", ""),
    ]
    form = post(forms, pairs, asked=("threshold", "vendor", "start", "fmr", "country", "sharing"))
    assert form.question_errors() == {}
    assert set(form.changes().clear) == {
        "threshold",
        "vendor",
        "start",
        "fmr",
        "country",
        "sharing",
    }


def test_questions_not_asked_keep_their_stored_answer(forms: SectionForms) -> None:
    stored = {"vendor": "Stored Inc", "sharing": ["live"]}
    data = MultiDict([("lock_version", "1"), ("asked", "mode"), ("mode", "live")])
    form = forms.from_post("use", data, stored, {"vendor": "a note"})
    changes = form.changes()
    assert changes.values == {"mode": "live"}
    assert "vendor" not in changes.clear and "sharing" not in changes.clear
    # the re-rendered page shows the stored answers for them
    assert form.answer("vendor").data == "Stored Inc"
    assert form.answer("sharing").data == ["live"]
    assert form.note("vendor").data == "a note"


def test_group_numbers_keeps_only_filled_groups(forms: SectionForms) -> None:
    form = post(forms, [("fmr.women", "0.5"), ("fmr.men", "")], asked=("fmr",))
    assert form.changes().values["fmr"] == {"women": 0.5}


def test_notes_are_taken_for_asked_questions_and_empty_clears(forms: SectionForms) -> None:
    form = post(forms, [("mode-note", "  why  "), ("vendor-note", "")], asked=("mode", "vendor"))
    assert form.changes().notes == {"mode": "why", "vendor": ""}


@pytest.mark.parametrize(
    ("pairs", "field"),
    [
        ([("lock_version", "abc")], "lock_version"),
        ([("lock_version", "-2")], "lock_version"),
        ([("lock_version", "")], "lock_version"),
        ([("lock_version", "1"), ("asked", "nonsense")], "asked"),
        ([("lock_version", "1"), ("asked", "data")], "asked"),  # another section's question
    ],
)
def test_tampered_control_fields_are_reported(
    forms: SectionForms, pairs: list[tuple[str, str]], field: str
) -> None:
    form = forms.from_post("use", MultiDict(pairs), {}, {})
    assert form.control_errors()
    assert form.control_errors()[0].startswith(field)


def test_unknown_and_stray_names(forms: SectionForms) -> None:
    cls = forms.form_class("use")
    assert cls.unknown_names(["mode", "mode-note", "fmr.men", "csrf_token", "asked"]) == []
    assert cls.unknown_names(["mode", "evil", "fmr.aliens", "data"]) == [
        "data",
        "evil",
        "fmr.aliens",
    ]
    form = post(forms, [("vendor", "x"), ("mode", "live")], asked=("mode",))
    assert form.stray_names(["vendor", "mode", "fmr.men"]) == ["fmr.men", "vendor"]


def test_unknown_section_is_a_key_error(forms: SectionForms) -> None:
    with pytest.raises(KeyError):
        forms.form_class("nope")


def test_stored_values_the_field_cannot_show_are_blank(forms: SectionForms) -> None:
    junk = {"warrant": "yes", "start": "31/03/2025", "threshold": "high", "sharing": "verify"}
    form = forms.for_display("use", junk, {}, 0)
    assert form.answer("warrant").data is None
    assert form.answer("start").data is None
    assert form.answer("threshold").data is None
    assert form.answer("sharing").data is None


def test_numbers_display_without_needless_decimals(forms: SectionForms) -> None:
    form = forms.for_display(
        "use", {"threshold": 99.0, "people": 1200, "fmr": {"men": 0.0001}}, {}, 0
    )
    assert form.answer("threshold")._value() == "99"
    assert form.answer("people")._value() == "1200"
    assert form.answer("fmr").form["g_men"]._value() == "0.0001"


def test_line_breaks_from_browsers_become_plain_line_feeds(forms: SectionForms) -> None:
    form = post(
        forms, [("policy", "One\r\nTwo\r\n"), ("policy-note", " a\r\nb ")], asked=("policy",)
    )
    changes = form.changes()
    assert changes.values["policy"] == "One\nTwo"
    assert changes.notes["policy"] == "a\nb"
