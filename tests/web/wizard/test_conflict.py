"""Two tabs saving the same assessment: the stale save is never applied silently. The page shows
both versions side by side and the officer chooses per question, or all of one side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from wizard_bank import wizard_bank  # noqa: F401  (the `bank` fixture: a small known bank)
from wizard_helpers import autosave, form_data, post_section, section_url, stored

MakeAssessment = Callable[..., int]


def resolve(auth: Any, aid: int, data: dict[str, Any]) -> Any:
    return auth.post(section_url(aid, "use") + "/resolve", data)


def two_tabs_disagree(auth: Any, db: Session, aid: int) -> Any:
    """Tab one saves threshold 80 at version 0; tab two, also opened at version 0, then saves 95
    with a note and a gallery. Returns tab two's response."""
    first = post_section(auth, db, aid, "use", {"threshold": "80"}, lock_version=0)
    assert first.status_code == 303
    values = {"threshold": "95", "threshold-note": "Vendor letter", "gallery": "licences"}
    return post_section(auth, db, aid, "use", values, lock_version=0)


def test_stale_save_gets_a_409_page_with_both_versions(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = two_tabs_disagree(auth, db, aid)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else saved this section first" in html
    row = html.split('id="conflict-threshold"')[1].split("</tr>")[0]
    assert "<td>80%" in row  # theirs, as saved
    assert "<td>95%" in row  # mine, as submitted
    assert "Note: Vendor letter" in row
    gallery = html.split('id="conflict-gallery"')[1].split("</tr>")[0]
    assert "<em>No answer</em>" in gallery and "Driver licence photos" in gallery
    # my inputs travel with the page, and the form carries the current version
    assert '<input type="hidden" name="threshold" value="95">' in html
    assert '<input type="hidden" name="lock_version" value="1">' in html
    assert 'name="choose-threshold" id="choose-threshold-mine" value="mine" checked' in html
    # nothing of the stale save was written
    assessment = stored(db, aid)
    assert assessment.answers == {"threshold": 80} and assessment.notes == {}
    assert assessment.lock_version == 1


def test_keep_mine_for_all(auth: Any, db: Session, make_assessment: MakeAssessment) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    two_tabs_disagree(auth, db, aid)
    data = {
        "lock_version": "1",
        "asked": ["threshold", "gallery"],
        "threshold": "95",
        "threshold-note": "Vendor letter",
        "gallery": "licences",
        "all": "mine",
    }
    response = resolve(auth, aid, data)
    assert response.status_code == 303
    assessment = stored(db, aid)
    assert assessment.answers == {"threshold": 95, "gallery": "licences"}
    assert assessment.notes == {"threshold": "Vendor letter"}


def test_keep_theirs_for_all_saves_nothing(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    two_tabs_disagree(auth, db, aid)
    data = {"lock_version": "1", "asked": ["threshold", "gallery"], "threshold": "95"}
    response = resolve(auth, aid, {**data, "gallery": "licences", "all": "theirs"})
    assert response.status_code == 303
    assessment = stored(db, aid)
    assert assessment.answers == {"threshold": 80} and assessment.lock_version == 1


def test_choose_per_question(auth: Any, db: Session, make_assessment: MakeAssessment) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    two_tabs_disagree(auth, db, aid)
    data = {
        "lock_version": "1",
        "asked": ["threshold", "gallery"],
        "threshold": "95",
        "threshold-note": "Vendor letter",
        "gallery": "licences",
        "choose-threshold": "theirs",
        "choose-gallery": "mine",
    }
    assert resolve(auth, aid, data).status_code == 303
    assessment = stored(db, aid)
    assert assessment.answers == {"threshold": 80, "gallery": "licences"}
    assert assessment.notes == {}


def test_resolving_against_a_version_that_moved_on_conflicts_again(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    two_tabs_disagree(auth, db, aid)
    post_section(auth, db, aid, "use", {"threshold": "85"}, lock_version=1)  # a third save
    data = {"lock_version": "1", "asked": ["threshold"], "threshold": "95", "all": "mine"}
    response = resolve(auth, aid, data)
    assert response.status_code == 409
    assert "<td>85%" in response.get_data(as_text=True)
    assert stored(db, aid).answers == {"threshold": 85}


def test_stale_version_with_the_same_answers_is_no_conflict(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    post_section(auth, db, aid, "use", {"threshold": "80"}, lock_version=0)
    again = post_section(auth, db, aid, "use", {"threshold": "80"}, lock_version=0)
    assert again.status_code == 303  # nothing would change: nothing to lose
    assert stored(db, aid).lock_version == 1


def test_stale_autosave_is_a_409_json_and_saves_nothing(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    post_section(auth, db, aid, "use", {"threshold": "80"}, lock_version=0)
    response = autosave(
        client, auth.csrf_token(), aid, "use", form_data({"threshold": "70"}, lock_version=0)
    )
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"] == "conflict"
    assert "Review both versions" in body["message"]
    assert "lock_version" not in body  # the page must not quietly adopt the new version
    assert stored(db, aid).answers == {"threshold": 80}


def test_tampered_resolution_is_refused(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    two_tabs_disagree(auth, db, aid)
    base = {"lock_version": "1", "asked": ["threshold"], "threshold": "95"}
    for extra in ({"all": "both"}, {"choose-threshold": "maybe"}, {"choose-gallery": "mine"}):
        response = resolve(auth, aid, {**base, **extra})
        assert response.status_code == 400
        assert "Nothing was saved" in response.get_data(as_text=True)
    assert stored(db, aid).answers == {"threshold": 80}
