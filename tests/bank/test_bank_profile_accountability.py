"""The shipped profiles' meeting requirements and calendar dates: present where the law asks for
them, and never more certain than the profile's own elements and obligations with the same cite."""

from __future__ import annotations

import re

from pia.engine.bank.model import Bank, Profile

MARKERS = ("unverified", "secondary summary")


def markers(text: str) -> set[str]:
    return {m for m in MARKERS if re.search(rf"\b{m}\b", text, re.IGNORECASE)}


def source_markers(profile: Profile, cite: str) -> set[str]:
    """The verification markers of the elements and obligations that cite `cite`."""
    texts = [e.text for e in profile.elements if e.cite == cite]
    texts += [o.text for o in profile.obligations if o.cite == cite]
    return set().union(*(markers(t) for t in texts)) if texts else set()


def test_washington_asks_for_three_meetings(real_bank: Bank) -> None:
    requirement = real_bank.profiles["wa_rcw_43_386"].community_meetings
    assert requirement is not None
    assert (requirement.required, requirement.cite) == (3, "RCW 43.386.020(3)")


def test_requirements_keep_the_verification_markers_of_what_they_cite(real_bank: Bank) -> None:
    checked = 0
    for profile in real_bank.profiles.values():
        claims = []
        if profile.community_meetings is not None:
            claims.append((profile.community_meetings.cite, profile.community_meetings.text))
        claims += [(rule.cite, rule.text) for rule in profile.calendar]
        for cite, text in claims:
            missing = source_markers(profile, cite) - markers(text)
            assert not missing, f"{profile.id} {cite}: {text!r} drops the marker(s) {missing}"
            checked += 1
    assert checked >= 4  # Washington's meetings and two dates, CCOPS's meetings and its report


def test_every_profile_date_names_its_source(real_bank: Bank) -> None:
    for profile in real_bank.profiles.values():
        for rule in profile.calendar:
            assert rule.cite and rule.text, f"{profile.id} {rule.id}"
            assert any(rule.cite.startswith(s) for s in profile.sources) or any(
                rule.cite == c.cite for c in (*profile.elements, *profile.obligations)
            ), f"{profile.id} {rule.id} cites {rule.cite!r}, which the profile does not"


def test_the_methodology_states_meetings_and_dates_in_words(real_bank: Bank) -> None:
    from pia.engine.bank.model import CalendarRule
    from pia.report.methodology.duties import when_in_words
    from pia.report.methodology.markdown import render_bank_markdown

    document = render_bank_markdown(real_bank)
    for profile in real_bank.profiles.values():
        if profile.community_meetings is not None:
            requirement = profile.community_meetings
            assert f"At least {requirement.required} ({requirement.cite})." in document
        for rule in profile.calendar:
            assert f"| {rule.title} | {when_in_words(rule)} | {rule.cite} |" in document
    cases = {
        CalendarRule("a", "A", "c", "decision", months=12, every_months=12): (
            "12 months after the board's approving decision, then every 12 months"
        ),
        CalendarRule("b", "B", "c", "comment_period_end", days=30): (
            "30 days after the end of the public comment period"
        ),
        CalendarRule("c", "C", "c", "final_publication", days=-1): (
            "1 day before the publication of the final report"
        ),
        CalendarRule("d", "D", "c", "decision"): "on the day of the board's approving decision",
    }
    for rule, words in cases.items():
        assert when_in_words(rule) == words
