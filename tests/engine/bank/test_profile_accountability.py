"""A profile's community meeting requirement and calendar dates: read generically from the YAML,
every mistake reported with its code and place."""

from __future__ import annotations

import pytest
from inline_bank import PROFILE

from pia.engine import Code, check_bank, load_bank
from pia.engine.bank.model import CalendarRule, MeetingRequirement

EXTRA = """\
  community_meetings:
    required: 3
    cite: "RCW 43.386.020(3)"
    text: At least three meetings.
  calendar:
    - id: annual_report
      title: Annual report
      cite: "Code 9.64"
      after: decision
      months: 12
      every_months: 12
    - id: earliest_use
      title: Earliest use
      cite: "RCW 43.386.020(4)"
      text: Ninety days after the final report.
      after: final_publication
      days: 90
"""


def test_meetings_and_calendar_are_read_from_the_profile(write_bank) -> None:
    bank = load_bank(write_bank({"profiles/wa.yaml": PROFILE + EXTRA}))
    profile = bank.profiles["wa"]
    assert profile.community_meetings == MeetingRequirement(
        3, "RCW 43.386.020(3)", "At least three meetings."
    )
    assert profile.calendar == (
        CalendarRule("annual_report", "Annual report", "Code 9.64", "decision", "", 12, 0, 12),
        CalendarRule(
            "earliest_use",
            "Earliest use",
            "RCW 43.386.020(4)",
            "final_publication",
            "Ninety days after the final report.",
            0,
            90,
            0,
        ),
    )


def test_a_profile_without_them_has_none(bank) -> None:
    assert bank.profiles["wa"].community_meetings is None
    assert bank.profiles["wa"].calendar == ()


@pytest.mark.parametrize(
    ("wrong", "right", "code", "words"),
    [
        ("required: 3", "required: 0", Code.BAD_VALUE, "it must be from 1 to 100"),
        ("required: 3", "required: three", Code.WRONG_TYPE, "must be a whole number"),
        ('    cite: "RCW 43.386.020(3)"\n', "", Code.MISSING_KEY, "needs the key 'cite'"),
        ("after: decision", "after: decison", Code.BAD_VALUE, "which is no event"),
        ("every_months: 12", "every_months: 0", Code.BAD_VALUE, "from 1 to 240"),
        ("days: 90", "days: 9000", Code.BAD_VALUE, "from -3650 to 3650"),
        ("      months: 12\n", "      month: 12\n", Code.UNKNOWN_KEY, "no key 'month'"),
        ("id: earliest_use", "id: annual_report", Code.DUPLICATE_ID, "two calendar dates"),
        ("title: Annual report", "title: 2027", Code.WRONG_TYPE, "must be text"),
    ],
)
def test_mistakes_are_reported_with_their_code(
    write_bank, wrong: str, right: str, code: Code, words: str
) -> None:
    assert wrong in EXTRA
    bank, problems = check_bank(
        write_bank({"profiles/wa.yaml": PROFILE + EXTRA.replace(wrong, right, 1)})
    )
    assert bank is None
    found = [p for p in problems if p.code == code and words in p.message]
    assert found, [str(p.message) for p in problems]
    assert all(p.location.file == "profiles/wa.yaml" for p in found)


def test_an_unknown_event_suggests_the_nearest(write_bank) -> None:
    _, problems = check_bank(
        write_bank(
            {"profiles/wa.yaml": PROFILE + EXTRA.replace("after: decision", "after: decison")}
        )
    )
    [problem] = [p for p in problems if "no event" in p.message]
    assert "decision" in problem.hint
