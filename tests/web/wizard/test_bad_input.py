"""Bad input to the wizard never yields a 500 or a silent loss: bad values come back beside their
fields with every other answer kept, tampered forms are refused with nothing saved, and HTML or
script typed into any text field is shown as text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from wizard_bank import wizard_bank  # noqa: F401  (the `bank` fixture: a small known bank)
from wizard_helpers import autosave, form_data, post_section, section_url, stored

MakeAssessment = Callable[..., int]
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize(
    ("field", "value", "message", "link"),
    [
        ("threshold", "eighty", "Enter a number, like 12 or 0.5.", "threshold"),
        ("threshold", "180", "Enter a number from 0% to 100%.", "threshold"),
        ("fmr.men", "-3", "Enter a number from 0% to 100%.", "fmr.women"),
        ("gallery", "passports", "Not a valid choice.", "gallery-0"),
    ],
)
def test_a_bad_value_re_renders_with_the_error_and_every_other_answer_kept(
    auth: Any,
    db: Session,
    make_assessment: MakeAssessment,
    field: str,
    value: str,
    message: str,
    link: str,
) -> None:
    aid = make_assessment(answers={"threshold": 90, "gallery": "mugshots"})
    auth.login("officer_a")
    values = {"modes": ["search", "live"], "live_places": "Main square", field: value}
    asked = ["modes", "live_places", field.split(".")[0]]
    response = post_section(auth, db, aid, "use", values, asked=asked)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    question = field.split(".")[0]
    # the error summary at the top links to the field, and the error sits beside it
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert 'role="alert" tabindex="-1"' in html.split('id="error-summary"')[1][:60]
    assert f'<a href="#{link}">' in summary and message in summary
    assert "Your other answers were saved." in summary
    beside = html.split(f'id="q-{question}"')[1].split('<div class="question')[0]
    assert message in beside and f'id="{question}-error"' in beside
    assert "question--error" in html.split(f'id="q-{question}"')[0][-80:]
    # what was typed is still in the form, the other answers too, and the new version
    if question != "gallery":  # a radio group cannot show a value it does not offer
        assert f'id="{field}" name="{field}" value="{value}"' in html
    assert 'id="modes-2" name="modes" value="live" checked>' in html
    assert "Main square</textarea>" in html
    assessment = stored(db, aid)
    assert f'name="lock_version" type="hidden" value="{assessment.lock_version}"' in html
    # the good answers were saved; the bad one left the stored answer alone
    assert assessment.answers["modes"] == ["search", "live"]
    assert assessment.answers["live_places"] == "Main square"
    assert assessment.answers["threshold"] == 90 and assessment.answers["gallery"] == "mugshots"
    assert "<title>Error: " in html


def test_autosave_reports_bad_values_beside_the_saved_ones(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    data = form_data({"threshold": "lots", "gallery": "licences"}, lock_version=0)
    response = autosave(client, auth.csrf_token(), aid, "use", data)
    assert response.status_code == 400
    body = response.get_json()
    assert body["errors"] == {"threshold": ["Enter a number, like 12 or 0.5."]}
    assert body["saved"] is True and body["lock_version"] == 1
    assert stored(db, aid).answers == {"gallery": "licences"}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"is_admin": "1"}, "fields that this section does not have (is_admin)"),
        ({"vendor_name": "Acme"}, "fields that this section does not have (vendor_name)"),
        ({"fmr.aliens": "3"}, "fields that this section does not have (fmr.aliens)"),
        ({"lock_version": "abc"}, "hidden fields were altered"),
        ({"lock_version": ""}, "hidden fields were altered"),
        ({"lock_version": "-5"}, "hidden fields were altered"),
        ({"asked": ["threshold", "vendor_name"]}, "hidden fields were altered"),
        ({"asked": ["gallery"]}, "questions that were not on the page (threshold)"),
    ],
)
def test_tampered_forms_are_refused_and_nothing_is_saved(
    client: FlaskClient,
    auth: Any,
    db: Session,
    make_assessment: MakeAssessment,
    extra: dict[str, Any],
    expected: str,
) -> None:
    aid = make_assessment(answers={"threshold": 90})
    auth.login("officer_a")
    data = {**form_data({"threshold": "50"}, lock_version=1), **extra}
    response = auth.post(section_url(aid, "use"), data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was saved" in html and expected in html
    json_response = autosave(client, auth.csrf_token(), aid, "use", data)
    assert json_response.status_code == 400 and json_response.get_json()["error"] == "rejected"
    assessment = stored(db, aid)
    assert assessment.answers == {"threshold": 90} and assessment.lock_version == 1


@pytest.mark.parametrize(
    "body",
    ["not json", "[1, 2]", '{"threshold": {"nested": 1}}', '{"threshold": true}', "{"],
)
def test_malformed_autosave_json_is_a_readable_400(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment, body: str
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = client.post(
        section_url(aid, "use") + "/autosave",
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": auth.csrf_token()},
    )
    assert response.status_code == 400
    assert response.is_json and response.get_json()["message"]
    assert stored(db, aid).lock_version == 0


def test_post_without_csrf_token_saves_nothing(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = client.post(
        section_url(aid, "use"), data=form_data({"threshold": "5"}, lock_version=0)
    )
    assert response.status_code == 400
    assert stored(db, aid).answers == {}


def test_html_and_script_in_every_text_field_are_shown_as_text(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    values = {
        "vendor_name": SCRIPT,
        "vendor_name-note": SCRIPT,
        "description": SCRIPT + "\nsecond line",
        "description-note": SCRIPT,
    }
    assert post_section(auth, db, aid, "system", values).status_code == 303
    assert stored(db, aid).answers["vendor_name"] == SCRIPT
    post_section(auth, db, aid, "use", {"live_places": SCRIPT, "modes": ["live"]})
    pages = [
        client.get(section_url(aid, "system")),
        client.get(section_url(aid, "use")),
        client.get(f"/assessments/{aid}/completeness"),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
    system = pages[0].get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in system
    # in a conflict both versions are shown escaped too
    values = {"vendor_name": SCRIPT + " v2"}
    conflict = post_section(auth, db, aid, "system", values, lock_version=0)
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_text_longer_than_the_cap_is_an_error_not_a_crash(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = post_section(
        auth, db, aid, "system", {"description": "x" * 20_001, "vendor_name": "A"}
    )
    assert response.status_code == 400
    assert "Field cannot be longer than 20000 characters." in response.get_data(as_text=True)
    assert stored(db, aid).answers == {"vendor_name": "A"}
