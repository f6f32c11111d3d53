"""Concurrent edits merge question by question: a save succeeds unless a question it changes was
changed elsewhere since its page was loaded; only questions changed on both sides conflict."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

from flask.testing import FlaskClient
from page_form import as_post_data, submitted_pairs
from sqlalchemy.orm import Session
from wizard_bank import wizard_bank  # noqa: F401  (the `bank` fixture: a small known bank)
from wizard_helpers import section_url, stored

MakeAssessment = Callable[..., int]


def open_page(client: FlaskClient, aid: int, section: str) -> list[tuple[str, str]]:
    """What the section page's form would send as loaded now (a tab opened at this moment)."""
    response = client.get(section_url(aid, section))
    assert response.status_code == 200
    return submitted_pairs(response.get_data(as_text=True), "section-form")


def edited(pairs: list[tuple[str, str]], **changes: str) -> dict[str, Any]:
    """The page's form with some inputs typed over (names with "-" passed as "__")."""
    wanted = {name.replace("__", "-"): value for name, value in changes.items()}
    result = [(name, wanted.pop(name) if name in wanted else value) for name, value in pairs]
    assert not wanted, f"not on the page: {wanted}"
    return as_post_data(result)


def test_two_tabs_changing_different_questions_both_save(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    tab_one = open_page(auth.client, aid, "use")
    tab_two = open_page(auth.client, aid, "use")
    assert auth.post(section_url(aid, "use"), edited(tab_one, threshold="80")).status_code == 303
    second = auth.post(section_url(aid, "use"), edited(tab_two, gallery="licences"))
    assert second.status_code == 303
    assessment = stored(db, aid)
    assert assessment.answers["threshold"] == 80
    assert assessment.answers["gallery"] == "licences"
    assert assessment.lock_version == 2


def test_a_stale_copy_of_an_untouched_question_does_not_undo_a_colleagues_change(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={"threshold": 70})
    auth.login("officer_a")
    tab_one = open_page(auth.client, aid, "use")
    tab_two = open_page(auth.client, aid, "use")  # shows threshold 70
    auth.post(section_url(aid, "use"), edited(tab_one, threshold="90"))
    auth.post(section_url(aid, "use"), edited(tab_two, threshold__note="Checked with vendor"))
    assessment = stored(db, aid)
    assert assessment.answers["threshold"] == 90  # not put back to 70
    assert assessment.notes["threshold"] == "Checked with vendor"


def test_the_same_question_on_both_sides_conflicts_alone(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    tab_one = open_page(auth.client, aid, "use")
    tab_two = open_page(auth.client, aid, "use")
    assert auth.post(section_url(aid, "use"), edited(tab_one, threshold="80")).status_code == 303
    response = auth.post(
        section_url(aid, "use"), edited(tab_two, threshold="95", gallery="mugshots")
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert html.count('<tr id="conflict-') == 1  # exactly the question changed on both sides
    row = html.split('id="conflict-threshold"')[1].split("</tr>")[0]
    assert "Saved since you opened the page (theirs)" in html
    assert "<td>80%" in row and "95%" in row
    assert "Your changes to every other question have been saved." in html
    assert stored(db, aid).answers["gallery"] == "mugshots"  # the other change is not held back
    assert stored(db, aid).answers["threshold"] == 80
    # Keeping mine from the conflict page writes it over theirs.
    form = conflict_form(html)
    resolved = auth.post(section_url(aid, "use") + "/resolve", {**form, "all": "mine"})
    assert resolved.status_code == 303
    assert stored(db, aid).answers["threshold"] == 95


def conflict_form(html: str) -> dict[str, Any]:
    """The conflict page's hidden inputs (what it carries back)."""
    form = html.split('class="conflict-form"')[1].split("</form>")[0]
    pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    return as_post_data([(name, unescape(value)) for name, value in pairs])


def test_autosave_returns_the_new_base_and_merges(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    token = auth.csrf_token()
    headers = {"X-CSRFToken": token, "Accept": "application/json"}
    url = section_url(aid, "use") + "/autosave"
    tab_one = open_page(auth.client, aid, "use")
    tab_two = open_page(auth.client, aid, "use")
    first = auth.client.post(url, data=edited(tab_one, threshold="80"), headers=headers)
    assert first.status_code == 200
    second = auth.client.post(url, data=edited(tab_two, gallery="licences"), headers=headers)
    assert second.status_code == 200, second.get_json()
    assert second.get_json()["lock_version"] == 2
    # The second tab still shows no threshold; its base says so, so the next save keeps 80.
    again = dict(edited(tab_two, gallery="licences", threshold__note="From the contract"))
    again["lock_version"] = "2"
    again["base"] = second.get_json()["base"]
    assert auth.client.post(url, data=again, headers=headers).status_code == 200
    answers = stored(db, aid).answers
    assert answers["threshold"] == 80 and answers["gallery"] == "licences"
    assert stored(db, aid).notes["threshold"] == "From the contract"


def test_a_tampered_base_is_refused(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    form = edited(open_page(auth.client, aid, "use"), threshold="80")
    for bad in ("{not json", '{"vendor_name": ["a", "b"]}', '{"threshold": 5}'):
        response = auth.post(section_url(aid, "use"), {**form, "base": bad})
        assert response.status_code == 400
    assert stored(db, aid).lock_version == 0


def test_an_out_of_range_lock_version_is_a_400_not_a_conflict(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    form = edited(open_page(auth.client, aid, "use"), threshold="80")
    for version in (str(2**31), str(2**63), "-1"):
        response = auth.post(section_url(aid, "use"), {**form, "lock_version": version})
        assert response.status_code == 400, version
    assert stored(db, aid).lock_version == 0
