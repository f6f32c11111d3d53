"""Community meetings over HTTP: record three, see the count satisfied on the check-your-answers
page, change and remove one, download the materials; refusals re-render with what was typed and
change nothing; other agencies get 404 and reviewers may read but not record."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from pia.store.public_models import CommunityMeeting

WA = "wa_rcw_43_386"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = date.today()


def fields(days_ago: int = 2, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "held_on": (TODAY - timedelta(days=days_ago)).isoformat(),
        "place": "Central Library",
        "attendance": "35",
        "summary": "Residents asked how long images are kept.",
        "materials_note": "Slides.",
    }
    values.update(changes)
    return values


def record(auth, aid: int, data: dict[str, object]):
    return auth.post(f"/assessments/{aid}/meetings", data, content_type="multipart/form-data")


def meeting_count(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(CommunityMeeting))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_three_meetings_satisfy_the_requirement_on_the_check_page(
    client, auth, make_assessment, db
) -> None:
    aid = make_assessment(profiles=[WA])
    auth.login()
    check = text_of(client.get(f"/assessments/{aid}/completeness"))
    assert "0 of 3 required meetings held: 3 more needed" in check
    assert "RCW 43.386.020(3)" in check
    for days_ago, place in ((30, "Library"), (20, "https://meet.example.gov/abc"), (10, "School")):
        response = record(auth, aid, fields(days_ago, place=place))
        assert response.status_code == 303
    page = text_of(client.get(f"/assessments/{aid}/meetings"))
    assert "3 of 3 required meetings held: requirement met" in page
    assert '<a href="https://meet.example.gov/abc" rel="noopener noreferrer">' in page
    check = text_of(client.get(f"/assessments/{aid}/completeness"))
    assert "3 of 3 required meetings held: requirement met" in check
    assert meeting_count(db) == 3


def test_materials_are_downloaded_by_those_who_may_see_the_assessment(
    client, auth, make_assessment, db, submit_assessment, complete_answers
) -> None:
    aid = make_assessment(profiles=[WA], answers=complete_answers)
    auth.login()
    data = fields()
    data["materials"] = (io.BytesIO(PDF), "slides.pdf")
    assert record(auth, aid, data).status_code == 303
    meeting_id = db.scalars(select(CommunityMeeting.id)).one()
    download = client.get(f"/meetings/{meeting_id}/materials")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    submit_assessment(aid)
    auth.logout()
    auth.login("officer_b")
    assert client.get(f"/meetings/{meeting_id}/materials").status_code == 404
    assert client.get(f"/assessments/{aid}/meetings").status_code == 404
    auth.logout()
    auth.login("reviewer_a")  # may read a submitted assessment's meetings, not record them
    revision = client.get(f"/assessments/{aid}/revisions/1").get_data(as_text=True)
    assert f'href="/assessments/{aid}/meetings"' in revision
    assert client.get(f"/meetings/{meeting_id}/materials").data == PDF
    page = text_of(client.get(f"/assessments/{aid}/meetings"))
    assert "Central Library" in page and "Record a meeting" not in page
    assert record(auth, aid, fields(place="Reviewer")).status_code == 403
    assert meeting_count(db) == 1


def test_a_bad_date_or_file_re_renders_with_what_was_typed(
    client, auth, make_assessment, db
) -> None:
    aid = make_assessment(profiles=[WA])
    auth.login()
    for changes, message in (
        ({"held_on": "14/03/2026"}, "Enter the date as YYYY-MM-DD"),
        ({"held_on": (TODAY + timedelta(days=3)).isoformat()}, "is in the future"),
        ({"attendance": "many"}, "Enter a whole number from 0 to"),
        ({"summary": ""}, "Enter a summary of what was said."),
    ):
        response = record(auth, aid, fields(**changes))
        page = text_of(response)
        assert response.status_code == 400, changes
        assert message in page
        assert "The meeting was not recorded" in page
        if "summary" not in changes:
            assert "Residents asked how long images are kept." in page  # kept as typed
        assert 'value="Central Library"' in page
    data = fields()
    data["materials"] = (io.BytesIO(PDF), "slides.png")
    page = text_of(record(auth, aid, data))
    assert "The file was not saved: the file&#39;s content is a PDF document" in page
    assert meeting_count(db) == 0


def test_a_meeting_is_changed_and_removed(client, auth, make_assessment, db) -> None:
    aid = make_assessment(profiles=[WA])
    auth.login()
    data = fields(place="Old hall")
    data["materials"] = (io.BytesIO(PDF), "slides.pdf")
    record(auth, aid, data)
    meeting_id = db.scalars(select(CommunityMeeting.id)).one()
    form = client.get(f"/assessments/{aid}/meetings/{meeting_id}/edit")
    assert 'value="Old hall"' in form.get_data(as_text=True)
    refused = auth.post(
        f"/assessments/{aid}/meetings/{meeting_id}/edit",
        fields(place=""),
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    changed = auth.post(
        f"/assessments/{aid}/meetings/{meeting_id}/edit",
        {**fields(place="New hall", attendance=""), "remove_materials": "y"},
        content_type="multipart/form-data",
    )
    assert changed.status_code == 303
    db.expire_all()
    stored = db.get(CommunityMeeting, meeting_id)
    assert (stored.place, stored.attendance, stored.materials_filename) == ("New hall", None, "")
    assert client.get(f"/meetings/{meeting_id}/materials").status_code == 404
    confirm = client.get(f"/assessments/{aid}/meetings/{meeting_id}/remove")
    assert "Remove the meeting of" in confirm.get_data(as_text=True)
    assert auth.post(f"/assessments/{aid}/meetings/{meeting_id}/remove").status_code == 303
    assert meeting_count(db) == 0
    assert auth.post(f"/assessments/{aid}/meetings/{meeting_id}/remove").status_code == 404
    assert client.get(f"/assessments/{aid}/meetings/999999/edit").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, make_assessment) -> None:
    aid = make_assessment(profiles=[WA])
    response = client.get(f"/assessments/{aid}/meetings")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
