"""The section wizard over HTTP: rendering, conditional questions, saving with POST-redirect-GET,
autosave JSON, the live-risk panel and the sidebar. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from wizard_bank import wizard_bank  # noqa: F401  (the `bank` fixture: a small known bank)
from wizard_helpers import (
    autosave,
    container,
    form_data,
    is_hidden,
    post_section,
    section_url,
    stored,
)

MakeAssessment = Callable[..., int]


def test_section_page_renders_the_questions_with_help_markers_and_panels(
    client: FlaskClient, auth: Any, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = client.get(section_url(aid, "use"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # every question is on the page; the live-only ones hidden with disabled inputs
    assert not is_hidden(html, "modes")
    assert is_hidden(html, "live_places") and is_hidden(html, "warrant")
    assert '<input type="hidden" name="asked" value="warrant" disabled>' in html
    assert '<input type="radio" id="warrant-0" name="warrant" value="yes" disabled>' in html
    # a choice group is a fieldset with a legend; help, required marker and citation are shown
    assert '<fieldset id="modes"' in html
    required = '<span class="required">(required)</span></legend>'
    assert f"How will the system be used? {required}" in html
    assert "Choose every mode that applies." in html
    assert "<cite>ACLU test of Amazon Rekognition (26 Jul 2018)</cite>" in html
    assert "In %, from 0 to 100." in html
    # every question has its optional note
    assert 'name="threshold-note"' in html and 'name="modes-note"' in html
    # sidebar with completion and progress bar, risk panel, the autosave status
    assert '<progress id="overall-progress" max="100" value="0">' in html
    assert 'aria-current="page">How it is used</a>' in html
    assert "0 of 4 answered" in html
    assert f'<a href="/assessments/{aid}/sections/system">The system</a>' in html
    assert 'id="risk-panel"' in html and "No rule has fired on the answers so far." in html
    assert 'id="save-status" role="status" aria-live="polite"' in html
    assert f'data-autosave-url="/assessments/{aid}/sections/use/autosave"' in html
    assert "/static/wizard.js" in html
    assert " style=" not in html  # the CSP forbids inline styles


def test_access_to_sections(
    client: FlaskClient, auth: Any, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment("officer_a")
    anonymous = client.get(section_url(aid, "use"))
    assert anonymous.status_code == 302 and "/signin" in anonymous.headers["Location"]
    auth.login("officer_b")
    assert client.get(section_url(aid, "use")).status_code == 404
    auth.logout()
    auth.login("reviewer_a")
    assert client.get(section_url(aid, "use")).status_code in (403, 404)
    auth.logout()
    auth.login("officer_a")
    assert client.get(section_url(aid, "nonsense")).status_code == 404
    assert client.get(section_url(aid + 1000, "use")).status_code == 404


def test_save_redirects_back_and_every_answer_is_kept(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    values = {
        "modes": ["verify", "search"],
        "threshold": "80",
        "threshold-note": "From the vendor's proposal, page 4.",
        "fmr.women": "0.5",
        "fmr.men": "0.1",
        "gallery": "mugshots",
    }
    response = post_section(auth, db, aid, "use", values)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(section_url(aid, "use"))
    assessment = stored(db, aid)
    assert assessment.answers == {
        "modes": ["verify", "search"],
        "threshold": 80,
        "fmr": {"women": 0.5, "men": 0.1},
        "gallery": "mugshots",
    }
    assert assessment.notes == {"threshold": "From the vendor's proposal, page 4."}
    assert assessment.lock_version == 1
    html = client.get(section_url(aid, "use")).get_data(as_text=True)
    assert "Your answers were saved." in html
    assert '<input type="checkbox" id="modes-0" name="modes" value="verify" checked>' in html
    assert '<input type="checkbox" id="modes-1" name="modes" value="search" checked>' in html
    assert '<input type="checkbox" id="modes-2" name="modes" value="live">' in html
    assert 'id="threshold" name="threshold" value="80"' in html
    assert 'id="fmr.women" name="fmr.women" value="0.5"' in html
    assert "From the vendor&#39;s proposal, page 4.</textarea>" in html
    assert '<details class="note" open>' in html
    assert 'name="lock_version" type="hidden" value="1"' in html


def test_save_and_continue_goes_to_the_next_section(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    response = post_section(auth, db, aid, "system", {"vendor_name": "Acme"}, go="next")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(section_url(aid, "use"))
    assert stored(db, aid).answers == {"vendor_name": "Acme"}


def test_without_javascript_a_save_reveals_the_conditional_questions(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    assert post_section(auth, db, aid, "use", {"modes": ["live"]}).status_code == 303
    html = client.get(section_url(aid, "use")).get_data(as_text=True)
    assert not is_hidden(html, "live_places") and not is_hidden(html, "warrant")
    assert '<input type="hidden" name="asked" value="warrant">' in html
    assert "disabled" not in container(html, "warrant")
    assert '<input type="radio" id="warrant-0" name="warrant" value="yes">' in html  # enabled


def test_questions_hidden_on_the_page_keep_their_stored_answers(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={"modes": ["live"], "warrant": False, "live_places": "Stadium"})
    auth.login("officer_a")
    # Unticking "live" hides the live questions; the browser sends nothing for them.
    response = post_section(auth, db, aid, "use", {"modes": ["search"]}, asked=["modes"])
    assert response.status_code == 303
    answers = stored(db, aid).answers
    assert answers["modes"] == ["search"]
    assert answers["warrant"] is False and answers["live_places"] == "Stadium"  # kept, not counted
    html = client.get(section_url(aid, "use")).get_data(as_text=True)
    assert is_hidden(html, "warrant")
    assert "Stadium</textarea>" in html  # rendered for the script to reveal as it was


def test_emptying_an_answer_clears_it(
    auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={"threshold": 80, "gallery": "licences", "vendor_name": "A"})
    auth.login("officer_a")
    response = post_section(auth, db, aid, "use", {"threshold": ""}, asked=["threshold", "modes"])
    assert response.status_code == 303
    assert stored(db, aid).answers == {"gallery": "licences", "vendor_name": "A"}


def test_a_chosen_radio_answer_can_be_taken_back(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    # Browsers cannot unchoose a radio: each radio group ends with "Not answered yet".
    aid = make_assessment(answers={"modes": ["live"], "warrant": False, "gallery": "licences"})
    auth.login("officer_a")
    unanswered = '<input type="radio" id="gallery-unanswered" name="gallery" value=""'
    html = client.get(section_url(aid, "use")).get_data(as_text=True)
    assert f"{unanswered}> <label" in html  # not chosen while an answer is
    assert '<label for="gallery-unanswered">Not answered yet</label>' in html
    assert "Live recognition without a warrant" in html  # the rule fires on warrant == no

    response = post_section(auth, db, aid, "use", {"warrant": "", "gallery": "mugshots"})
    assert response.status_code == 303
    assert stored(db, aid).answers == {"modes": ["live"], "gallery": "mugshots"}
    html = client.get(section_url(aid, "use")).get_data(as_text=True)
    assert '<input type="radio" id="warrant-unanswered" name="warrant" value="" checked>' in html
    assert '<input type="radio" id="warrant-1" name="warrant" value="no">' in html
    assert "Live recognition without a warrant" not in html  # the finding went with the answer

    # the page script's autosave sends the same empty value
    token = auth.csrf_token()
    version = stored(db, aid).lock_version
    data = form_data({"gallery": ""}, lock_version=version)
    result = autosave(client, token, aid, "use", data).get_json()
    assert result["saved"] is True
    assert stored(db, aid).answers == {"modes": ["live"]}


def test_live_risk_panel_follows_the_answers(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    before = client.get(section_url(aid, "use")).get_data(as_text=True)
    assert "No rule has fired" in before and "Threshold below 99%" not in before
    post_section(auth, db, aid, "use", {"threshold": "80"})
    after = client.get(section_url(aid, "use")).get_data(as_text=True)
    assert "<strong>Threshold below 99%</strong>" in after
    assert "What similarity threshold will be used?: <strong>80%</strong>" in after
    assert "data-overall-level>High</strong>" in after
    assert 'Accuracy across groups</span> <span class="level level-high">High</span>' in after


def test_sidebar_shows_section_completion(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={"vendor_name": "Acme", "start_date": "2025-01-01"})
    auth.login("officer_a")
    html = client.get(section_url(aid, "use")).get_data(as_text=True)
    assert "Required done, 2 of 3" in html  # the system section
    post_section(auth, db, aid, "system", {"description": "A face search tool."})
    html = client.get(section_url(aid, "use")).get_data(as_text=True)
    assert '<span class="sections-nav__state">Complete</span>' in html


def test_autosave_returns_visibility_version_progress_and_panel(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    token = auth.csrf_token()
    data = form_data({"modes": ["live"], "threshold": "75"}, lock_version=0)
    response = autosave(client, token, aid, "use", data)
    assert response.status_code == 200
    body = response.get_json()
    assert body["saved"] is True
    assert body["lock_version"] == 1
    assert body["visible"] == ["modes", "live_places", "warrant", "threshold", "fmr", "gallery"]
    assert body["errors"] == {}
    assert body["progress"]["section"] == 33  # 2 of 6 visible questions
    assert "Threshold below 99%" in body["risk_panel"]
    assert 'aria-current="page">How it is used' in body["sections_nav"]
    assert body["saved_at"].endswith("+00:00")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC", body["saved_at_text"])
    assert stored(db, aid).answers == {"modes": ["live"], "threshold": 75}
    # Unticking live hides the live questions again, with nothing else changed
    data = form_data({"modes": ["verify"]}, lock_version=1)
    body = autosave(client, token, aid, "use", data).get_json()
    assert body["visible"] == ["modes", "threshold", "fmr", "gallery"]
    assert body["lock_version"] == 2


def test_autosave_accepts_a_json_object(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    auth.login("officer_a")
    payload = {"lock_version": 0, "asked": ["modes", "gallery"], "modes": ["search"]}
    response = client.post(
        section_url(aid, "use") + "/autosave",
        data=json.dumps(payload),
        content_type="application/json",
        headers={"X-CSRFToken": auth.csrf_token()},
    )
    assert response.status_code == 200
    assert stored(db, aid).answers == {"modes": ["search"]}


def test_autosave_of_an_unchanged_form_writes_nothing(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment(answers={"threshold": 99})
    auth.login("officer_a")
    version = stored(db, aid).lock_version
    data = form_data({"threshold": "99"}, lock_version=version)
    body = autosave(client, auth.csrf_token(), aid, "use", data).get_json()
    assert body["saved"] is False and body["lock_version"] == version
    assert stored(db, aid).lock_version == version


def test_autosave_needs_the_csrf_token_and_a_session(
    client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    aid = make_assessment()
    data = form_data({"threshold": "80"}, lock_version=0)
    anonymous = client.post(
        section_url(aid, "use") + "/autosave", data=data, headers={"Accept": "application/json"}
    )
    assert anonymous.status_code in (400, 401)
    auth.login("officer_a")
    no_token = client.post(
        section_url(aid, "use") + "/autosave", data=data, headers={"Accept": "application/json"}
    )
    assert no_token.status_code == 400
    assert no_token.is_json
    assert stored(db, aid).answers == {}


def test_evaluation_cache_keeps_the_most_recent_entries() -> None:
    from pia.web.wizard.saving import EvaluationCache

    cache = EvaluationCache(size=2)
    first, second, third = object(), object(), object()
    cache.put((1, 0, ()), first)  # type: ignore[arg-type]
    cache.put((1, 1, ()), second)  # type: ignore[arg-type]
    assert cache.get((1, 0, ())) is first  # used: now the most recent
    cache.put((2, 0, ()), third)  # type: ignore[arg-type]
    assert cache.get((1, 1, ())) is None
    assert cache.get((1, 0, ())) is first and cache.get((2, 0, ())) is third


def test_section_page_queries_do_not_grow_with_answers_or_evidence(
    app: Any, client: FlaskClient, auth: Any, db: Session, make_assessment: MakeAssessment
) -> None:
    from sqlalchemy import event

    from pia.store import add_evidence
    from pia.store.models import User
    from pia.web.shared.db import get_engine

    aid = make_assessment()
    auth.login("officer_a")

    def count_queries() -> int:
        statements: list[str] = []
        with app.app_context():
            engine = get_engine()

        def record(*args: Any) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(section_url(aid, "use")).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    empty = count_queries()
    officer = db.get(User, auth.people["officer_a"].id)
    assessment = stored(db, aid)
    for number in range(6):
        add_evidence(
            db,
            assessment,
            officer,
            question_id="threshold" if number % 2 else "modes",
            filename=f"note{number}.txt",
            data=f"evidence {number}".encode(),
            max_bytes=1000,
        )
    post_section(auth, db, aid, "use", {"modes": ["live"], "threshold": "80", "fmr.men": "1"})
    assert count_queries() == empty
    assert empty == 1  # the user, the assessment and its evidence list in one statement
    page = client.get(section_url(aid, "use")).get_data(as_text=True)
    # every file is listed with its question, in upload order
    modes_files = [page.index(f"note{n}.txt") for n in (0, 2, 4)]
    assert modes_files == sorted(modes_files)
    assert all(f"note{n}.txt" in page for n in (1, 3, 5))
