"""Community meetings held about an assessment: recorded, changed and removed by the officer (each
audited), counted against what the chosen profiles' laws ask for.

A meeting's materials are a note and optionally a file, checked like evidence (pia.store.evidence:
the bytes must be a PDF, PNG, JPEG, Word document or UTF-8 text whose name's extension agrees).
Meetings are a record of what happened, not part of the draft: recording one does not start a new
draft. `meetings_summary(session, assessment)` is what the final report shows of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pia.engine.bank.model import Bank
from pia.store import audit
from pia.store.bank_source import configured_bank
from pia.store.errors import InvalidInput, NotFound
from pia.store.evidence import check_upload
from pia.store.lifecycle import lock_assessment
from pia.store.models import Assessment, User, utcnow
from pia.store.policy import Action, require
from pia.store.public_listing import date_in_zone
from pia.store.public_models import CommunityMeeting
from pia.store.review_checks import text
from pia.store.transaction import committing

PLACE_MAX = 500
SUMMARY_MAX = 20_000
NOTE_MAX = 5_000
ATTENDANCE_MAX = 1_000_000
EARLIEST = date(1990, 1, 1)


@dataclass(frozen=True)
class MeetingInput:
    """A meeting as the officer describes it."""

    held_on: date | None
    place: str
    summary: str
    attendance: int | None = None
    materials_note: str = ""


@dataclass(frozen=True)
class MaterialsFile:
    filename: str
    data: bytes
    max_bytes: int


def _checked(entry: MeetingInput, today: date) -> dict[str, Any]:
    held_on = entry.held_on
    if not isinstance(held_on, date):
        raise InvalidInput("enter the date the meeting was held", field="held_on")
    if held_on > today:
        raise InvalidInput(
            f"the meeting date ({held_on.isoformat()}) is in the future: record a meeting once it "
            "has been held",
            field="held_on",
        )
    if held_on < EARLIEST:
        raise InvalidInput(
            f"the meeting date must be after {EARLIEST.isoformat()}", field="held_on"
        )
    attendance = entry.attendance
    if attendance is not None and (
        isinstance(attendance, bool)
        or not isinstance(attendance, int)
        or not 0 <= attendance <= ATTENDANCE_MAX
    ):
        raise InvalidInput(
            f"attendance must be a whole number from 0 to {ATTENDANCE_MAX:,}", field="attendance"
        )
    place = " ".join(str(entry.place or "").split())
    return {
        "held_on": held_on,
        "place": text(place, "the place or link", "place", limit=PLACE_MAX),
        "summary": text(entry.summary, "the summary", "summary", limit=SUMMARY_MAX),
        "attendance": attendance,
        "materials_note": text(
            entry.materials_note,
            "the materials note",
            "materials_note",
            limit=NOTE_MAX,
            required=False,
        ),
    }


def agency_today(assessment: Assessment) -> date:
    """Today where the agency is: a meeting held this morning in Sydney is not in the future."""
    return date_in_zone(assessment.agency.time_zone if assessment.agency else "")


def _attach(meeting: CommunityMeeting, materials: MaterialsFile) -> None:
    data = bytes(materials.data)
    clean, kind = check_upload(materials.filename, data, materials.max_bytes)
    meeting.materials_filename = clean
    meeting.materials_content_type = kind.content_type
    meeting.materials_sha256 = hashlib.sha256(data).hexdigest()
    meeting.materials_data = data


def _detail(meeting: CommunityMeeting) -> dict[str, Any]:
    """What the audit trail keeps: no summary or place (administrators read the trail)."""
    return {
        "meeting_id": meeting.id,
        "held_on": meeting.held_on.isoformat(),
        "attendance": meeting.attendance,
        "materials_filename": meeting.materials_filename,
        "materials_sha256": meeting.materials_sha256,
    }


def record_meeting(
    session: Session,
    assessment: Assessment,
    actor: User,
    entry: MeetingInput,
    materials: MaterialsFile | None = None,
) -> CommunityMeeting:
    """Record a meeting that was held; InvalidInput or UploadRejected change nothing."""
    require(actor, Action.RECORD_MEETING, assessment)
    fields = _checked(entry, agency_today(assessment))
    meeting = CommunityMeeting(
        assessment_id=assessment.id, recorded_by_id=actor.id, recorded_at=utcnow(), **fields
    )
    if materials is not None:
        _attach(meeting, materials)
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.RECORD_MEETING, assessment)
        session.add(meeting)
        session.flush()
        audit.add_event(
            session,
            audit.MEETING_RECORDED,
            actor=actor,
            assessment=assessment,
            detail=_detail(meeting),
        )
    return meeting


def update_meeting(
    session: Session,
    assessment: Assessment,
    actor: User,
    meeting_id: int,
    entry: MeetingInput,
    *,
    materials: MaterialsFile | None = None,
    remove_materials: bool = False,
) -> CommunityMeeting:
    """Change a meeting's record: its fields, and its file replaced (`materials`) or removed."""
    require(actor, Action.EDIT_MEETING, assessment)
    fields = _checked(entry, agency_today(assessment))
    if materials is not None:
        check_upload(materials.filename, bytes(materials.data), materials.max_bytes)
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.EDIT_MEETING, assessment)
        meeting = _meeting_of(session, assessment, meeting_id)
        for name, value in fields.items():
            setattr(meeting, name, value)
        if materials is not None:
            _attach(meeting, materials)
        elif remove_materials:
            meeting.materials_filename = ""
            meeting.materials_content_type = ""
            meeting.materials_sha256 = ""
            meeting.materials_data = None
        session.flush()
        audit.add_event(
            session,
            audit.MEETING_UPDATED,
            actor=actor,
            assessment=assessment,
            detail=_detail(meeting),
        )
    return meeting


def remove_meeting(
    session: Session, assessment: Assessment, actor: User, meeting_id: int
) -> CommunityMeeting:
    """Delete a meeting recorded by mistake; the audit trail keeps its date and file hash."""
    with committing(session):
        assessment = lock_assessment(session, assessment)
        require(actor, Action.REMOVE_MEETING, assessment)
        meeting = _meeting_of(session, assessment, meeting_id)
        audit.add_event(
            session,
            audit.MEETING_REMOVED,
            actor=actor,
            assessment=assessment,
            detail=_detail(meeting),
        )
        session.delete(meeting)
    return meeting


def get_meeting(session: Session, meeting_id: int) -> CommunityMeeting | None:
    """One meeting (its file's bytes load when read); check access on its assessment."""
    if isinstance(meeting_id, bool) or not isinstance(meeting_id, int):
        return None
    if not 0 < meeting_id < 2**31:
        return None
    return session.get(CommunityMeeting, meeting_id)


def _meeting_of(session: Session, assessment: Assessment, meeting_id: int) -> CommunityMeeting:
    meeting = get_meeting(session, meeting_id)
    if meeting is None or meeting.assessment_id != assessment.id:
        raise NotFound("there is no such meeting on this assessment")
    return meeting


def meetings_for(session: Session, assessment: Assessment) -> list[CommunityMeeting]:
    """The assessment's meetings, earliest first (without the files' bytes)."""
    query = (
        select(CommunityMeeting)
        .where(CommunityMeeting.assessment_id == assessment.id)
        .order_by(CommunityMeeting.held_on, CommunityMeeting.id)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class MeetingTally:
    """One chosen profile's requirement and how many meetings count towards it."""

    profile_id: str
    profile_name: str
    required: int
    held: int
    cite: str
    text: str

    @property
    def satisfied(self) -> bool:
        return self.held >= self.required


def meeting_tallies(bank: Bank, assessment: Assessment, held: int) -> list[MeetingTally]:
    """For each chosen profile that declares a meeting requirement: `held` against it."""
    tallies = []
    for profile_id in assessment.profiles or ():
        profile = bank.profiles.get(profile_id)
        if profile is None or profile.community_meetings is None:
            continue
        requirement = profile.community_meetings
        tallies.append(
            MeetingTally(
                profile.id,
                profile.name,
                requirement.required,
                held,
                requirement.cite,
                requirement.text,
            )
        )
    return tallies


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting as the final report lists it."""

    held_on: date
    place: str
    attendance: int | None
    summary: str
    materials_note: str
    materials_filename: str  # "" when no file
    materials_sha256: str


@dataclass(frozen=True)
class MeetingsSummary:
    """The meetings held and the requirement: `required` is the largest number any chosen profile
    asks for (0 when none asks), `requirements` each profile's."""

    meetings: tuple[MeetingRecord, ...]
    count: int
    required: int
    requirements: tuple[MeetingTally, ...]

    @property
    def satisfied(self) -> bool:
        return self.count >= self.required


def meetings_summary(
    session: Session, assessment: Assessment, bank: Bank | None = None
) -> MeetingsSummary:
    """The meetings held about the assessment, earliest first, with the count and the chosen
    profiles' requirement (read from `bank`, by default the installation's)."""
    meetings = meetings_for(session, assessment)
    records = tuple(
        MeetingRecord(
            held_on=m.held_on,
            place=m.place,
            attendance=m.attendance,
            summary=m.summary,
            materials_note=m.materials_note,
            materials_filename=m.materials_filename,
            materials_sha256=m.materials_sha256,
        )
        for m in meetings
    )
    tallies = tuple(meeting_tallies(bank or configured_bank(), assessment, len(records)))
    return MeetingsSummary(
        meetings=records,
        count=len(records),
        required=max((t.required for t in tallies), default=0),
        requirements=tallies,
    )
