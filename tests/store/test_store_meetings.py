"""Community meetings in the store: recorded, changed and removed with audit events, materials
checked like evidence, refusals that change nothing, and the count against the requirement."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from accountability_setup import accountability_bank
from sqlalchemy import func, select

from pia.engine import Bank
from pia.store import InvalidInput, NotAllowed, NotFound, UploadRejected, create_assessment
from pia.store.meetings import (
    MaterialsFile,
    MeetingInput,
    get_meeting,
    meetings_for,
    meetings_summary,
    record_meeting,
    remove_meeting,
    update_meeting,
)
from pia.store.models import AuditEvent
from pia.store.public_models import CommunityMeeting

TODAY = date.today()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LIMIT = 1024 * 1024


@pytest.fixture(scope="module")
def meetings_bank(bank_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Bank:
    return accountability_bank(bank_dir, tmp_path_factory.mktemp("meetings_bank"))


def meeting(days_ago: int = 1, **fields: object) -> MeetingInput:
    values: dict[str, object] = {
        "held_on": TODAY - timedelta(days=days_ago),
        "place": "Central Library, Room 2",
        "summary": "Residents asked about retention.",
        "attendance": 41,
        "materials_note": "Slides and a handout.",
    }
    values.update(fields)
    return MeetingInput(**values)  # type: ignore[arg-type]


def audit_actions(session, assessment_id: int) -> list[str]:
    query = select(AuditEvent.action).where(AuditEvent.assessment_id == assessment_id)
    return list(session.scalars(query.order_by(AuditEvent.id)))


def test_a_meeting_is_recorded_with_its_materials_and_audited(session, meetings_bank, cast) -> None:
    a = create_assessment(session, meetings_bank, cast.officer, title="Pilot", profiles=["wa"])
    recorded = record_meeting(
        session, a, cast.officer, meeting(), MaterialsFile("slides.pdf", PDF, LIMIT)
    )
    session.expire_all()
    stored = get_meeting(session, recorded.id)
    assert stored is not None
    assert (stored.place, stored.attendance, stored.materials_filename) == (
        "Central Library, Room 2",
        41,
        "slides.pdf",
    )
    assert stored.materials_data == PDF
    assert stored.materials_sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.materials_content_type == "application/pdf"
    assert audit_actions(session, a.id)[-1] == "meeting.recorded"
    assert a.status == "draft" and a.lock_version == 0  # not a change to the draft


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (meeting(days_ago=-1), "held_on"),
        (meeting(held_on=None), "held_on"),
        (meeting(place="  "), "place"),
        (meeting(summary=""), "summary"),
        (meeting(attendance=-3), "attendance"),
        (meeting(place="x" * 501), "place"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    session, meetings_bank, cast, entry: MeetingInput, field: str
) -> None:
    a = create_assessment(session, meetings_bank, cast.officer, title="Pilot", profiles=["wa"])
    with pytest.raises(InvalidInput) as refused:
        record_meeting(session, a, cast.officer, entry)
    assert refused.value.field == field
    assert session.scalar(select(func.count()).select_from(CommunityMeeting)) == 0
    assert "meeting.recorded" not in audit_actions(session, a.id)


def test_a_file_that_is_not_what_its_name_says_is_refused(session, meetings_bank, cast) -> None:
    a = create_assessment(session, meetings_bank, cast.officer, title="Pilot", profiles=["wa"])
    with pytest.raises(UploadRejected, match=r"PDF document but its name ends in \.png"):
        record_meeting(session, a, cast.officer, meeting(), MaterialsFile("slides.png", PDF, LIMIT))
    with pytest.raises(UploadRejected, match="too large"):
        record_meeting(session, a, cast.officer, meeting(), MaterialsFile("s.pdf", PDF, 10))
    assert meetings_for(session, a) == []


def test_only_the_agencys_officer_records_changes_and_removes(session, meetings_bank, cast) -> None:
    a = create_assessment(session, meetings_bank, cast.officer, title="Pilot", profiles=["wa"])
    kept = record_meeting(session, a, cast.officer, meeting())
    for outsider in (cast.other_officer, cast.reviewer, cast.admin):
        with pytest.raises(NotAllowed):
            record_meeting(session, a, outsider, meeting())
        with pytest.raises(NotAllowed):
            update_meeting(session, a, outsider, kept.id, meeting(place="Elsewhere"))
        with pytest.raises(NotAllowed):
            remove_meeting(session, a, outsider, kept.id)
    session.expire_all()
    assert [m.place for m in meetings_for(session, a)] == ["Central Library, Room 2"]


def test_changing_replaces_or_removes_the_file_and_removing_deletes(
    session, meetings_bank, cast
) -> None:
    a = create_assessment(session, meetings_bank, cast.officer, title="Pilot", profiles=["wa"])
    other = create_assessment(session, meetings_bank, cast.officer, title="Other", profiles=["wa"])
    m = record_meeting(session, a, cast.officer, meeting(), MaterialsFile("a.pdf", PDF, LIMIT))
    notes = b"Minutes of the meeting.\n"
    update_meeting(
        session,
        a,
        cast.officer,
        m.id,
        meeting(place="https://meet.example.gov/x", attendance=None),
        materials=MaterialsFile("minutes.txt", notes, LIMIT),
    )
    session.expire_all()
    changed = get_meeting(session, m.id)
    assert changed is not None
    assert (changed.place, changed.attendance) == ("https://meet.example.gov/x", None)
    assert (changed.materials_filename, changed.materials_data) == ("minutes.txt", notes)
    update_meeting(session, a, cast.officer, m.id, meeting(), remove_materials=True)
    session.expire_all()
    assert get_meeting(session, m.id).materials_filename == ""  # type: ignore[union-attr]
    with pytest.raises(NotFound):  # a meeting of another assessment
        remove_meeting(session, other, cast.officer, m.id)
    remove_meeting(session, a, cast.officer, m.id)
    assert get_meeting(session, m.id) is None
    assert audit_actions(session, a.id)[-3:] == [
        "meeting.updated",
        "meeting.updated",
        "meeting.removed",
    ]


def test_the_summary_counts_meetings_against_the_profiles_requirement(
    session, meetings_bank, cast
) -> None:
    a = create_assessment(session, meetings_bank, cast.officer, title="Pilot", profiles=["wa"])
    none_asked = create_assessment(session, meetings_bank, cast.officer, title="No profile")
    for days_ago, place in ((30, "Library"), (10, "Town hall"), (20, "School")):
        record_meeting(session, a, cast.officer, meeting(days_ago=days_ago, place=place))
        summary = meetings_summary(session, a, meetings_bank)
        assert summary.required == 3
    assert summary.count == 3 and summary.satisfied
    assert [m.place for m in summary.meetings] == ["Library", "School", "Town hall"]
    [tally] = summary.requirements
    assert (tally.profile_id, tally.required, tally.held, tally.satisfied) == ("wa", 3, 3, True)
    assert tally.cite == "RCW 43.386.020(3)"
    remove_meeting(session, a, cast.officer, meetings_for(session, a)[0].id)
    assert not meetings_summary(session, a, meetings_bank).satisfied
    empty = meetings_summary(session, none_asked, meetings_bank)
    assert (empty.count, empty.required, empty.requirements) == (0, 0, ())


def test_the_summary_reads_the_installations_bank_by_default(
    session, cast, bank_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "installed"
    bank = accountability_bank(bank_dir, folder)
    monkeypatch.setenv("PIA_BANK", str(folder))
    a = create_assessment(session, bank, cast.officer, title="Pilot", profiles=["wa"])
    record_meeting(session, a, cast.officer, meeting())
    summary = meetings_summary(session, a)
    assert (summary.count, summary.required) == (1, 3)


def test_today_is_the_agencys_today(session, meetings_bank, cast) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from pia.store import set_agency_time_zone

    # Kiritimati is 14 hours ahead of UTC: its today is often UTC's tomorrow.
    set_agency_time_zone(session, cast.own, "Pacific/Kiritimati")
    a = create_assessment(session, meetings_bank, cast.officer, title="Pilot", profiles=["wa"])
    local_today = datetime.now(UTC).astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    record_meeting(session, a, cast.officer, meeting(held_on=local_today))
    with pytest.raises(InvalidInput, match="is in the future"):
        record_meeting(session, a, cast.officer, meeting(held_on=local_today + timedelta(days=1)))
