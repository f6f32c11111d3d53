"""Every POST route refuses a request without a valid CSRF token, and changes nothing.

The routes come from the app's URL map, so a new POST route is covered without editing this file.
Each is posted the fields of the real form that targets it (read from the pages a user sees), with
a file for file inputs, so that only the token stands between the request and a change: once with
no token, once with a token from another user's session. Both must be a 400 and leave every table
of the database exactly as it was.
"""

from __future__ import annotations

import io
import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from pia.store.models import Base

ANSWERS = {"agency_type": "law_enforcement"}


class _Forms(HTMLParser):
    """POST forms on a page: action -> [(name, value)]; a file input gets a small text file.

    Controls outside a form that name it with form="id" belong to that form, as in a browser.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, list[tuple[str, Any]]] = {}
        self._ids: dict[str, str] = {}  # form id -> action
        self._owned: list[tuple[str, tuple[str, Any]]] = []  # (form id, field)
        self._action: str | None = None
        self._textarea: list[Any] | None = None

    def _add(self, attrs: dict[str, str | None], field: tuple[str, Any]) -> list[Any] | None:
        owner = attrs.get("form")
        if owner:
            self._owned.append((owner, field))
            return None
        if self._action is None:
            return None
        self.forms[self._action].append(field)
        return self.forms[self._action]

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._action = attrs.get("action") or ""
            self.forms.setdefault(self._action, [])
            if attrs.get("id"):
                self._ids[attrs["id"] or ""] = self._action
            return
        name = attrs.get("name")
        if not name or "disabled" in attrs:
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "input" and kind == "file":
            self._add(attrs, (name, (io.BytesIO(b"evidence text\n"), "evidence.txt")))
        elif tag == "input" and kind not in ("submit", "button", "reset", "image"):
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                self._add(attrs, (name, attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = [name, ""]
            self._add(attrs, (name, ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._action = None
        elif tag == "textarea":
            self._textarea = None

    def close(self) -> None:
        super().close()
        for owner, field in self._owned:
            if owner in self._ids:
                self.forms[self._ids[owner]].append(field)


def forms_on(client: FlaskClient, urls: list[str]) -> dict[str, list[tuple[str, Any]]]:
    found: dict[str, list[tuple[str, Any]]] = {}
    for url in urls:
        page = client.get(url)
        if page.status_code == 200 and page.mimetype == "text/html":
            reader = _Forms()
            reader.feed(page.get_data(as_text=True))
            reader.close()
            for action, fields in reader.forms.items():
                found.setdefault(action.split("#")[0] or url, fields)
    return found


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    session.expire_all()
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        rows = session.execute(text(f'SELECT * FROM "{table.name}"')).all()
        tables[table.name] = sorted((tuple(row) for row in rows), key=repr)
    session.rollback()
    return tables


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def signed_in(app: Flask, person: Any | None) -> FlaskClient:
    """A client of its own, signed in as the person (or anonymous)."""
    client = app.test_client()
    if person is not None:
        page = client.get("/signin").get_data(as_text=True)
        match = CSRF_META.search(page)
        assert match
        response = client.post(
            "/signin",
            data={"email": person.email, "password": person.password, "csrf_token": match[1]},
        )
        assert response.status_code in (302, 303), "sign-in failed"
    return client


def csrf_token(client: FlaskClient) -> str:
    match = CSRF_META.search(client.get("/", follow_redirects=True).get_data(as_text=True))
    assert match
    return match[1]


def actor_for(endpoint: str) -> str | None:
    if endpoint.startswith("admin."):
        return "admin"
    if endpoint.startswith("review.") or endpoint in ("publishing.approve", "publishing.allow"):
        return "reviewer_a"
    if endpoint == "accounts.signin":
        return None
    return "officer_a"


def post_routes(
    app: Flask,
    draft: int,
    submitted: int,
    ids: dict[str, Any],
    approved: int = 0,
    published: int = 0,
) -> list[tuple]:
    """(endpoint, URL) of every POST route, its arguments filled with real ids.

    Review routes act on the submitted assessment, publishing routes on the approved one,
    moderation routes on the published one, the others on a draft.
    """
    from flask import url_for

    routes = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "POST" not in (rule.methods or ()):
                continue
            reviewing = rule.endpoint.startswith("review.")
            own = {**ids, "assessment_id": submitted if reviewing else draft}
            if rule.endpoint.startswith("publishing.") and approved:
                own["assessment_id"] = approved
            if rule.endpoint.startswith("moderation.") and published:
                own["assessment_id"] = published
            missing = set(rule.arguments) - set(own)
            assert not missing, f"no test value for {sorted(missing)} of {rule.rule}"
            values = {name: own[name] for name in rule.arguments}
            routes.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return sorted(routes)


def pages_for(url: str, extra: list[str]) -> list[str]:
    """The GET pages a user would post this route from: the route, its parents, and `extra`."""
    pages = ["/", "/signin", "/assessments/new", "/admin/", "/admin/users", "/admin/agencies"]
    pages += extra
    parts = url.split("/")
    pages += ["/".join(parts[:end]) or "/" for end in range(len(parts), 1, -1)]
    return pages


def approved_assessment(
    db: Session, people, make_assessment, submit_assessment, answers: dict[str, Any]
) -> int:
    """An assessment whose revision 1 the board approved (reviewer_a)."""
    from pia.store import get_assessment, record_decision, take_up
    from pia.store.models import User

    aid = make_assessment("officer_a", answers=answers)
    submit_assessment(aid)
    reviewer = db.get(User, people["reviewer_a"].id)
    db.expire_all()
    take_up(db, get_assessment(db, aid), reviewer, revision=1)
    record_decision(
        db,
        get_assessment(db, aid),
        reviewer,
        revision=1,
        outcome="approved",
        rationale="Proportionate.",
        meeting_on=date.today(),
    )
    return aid


def approved_with_a_redaction(
    db: Session, bank, people, make_assessment, submit_assessment, answers: dict[str, Any]
) -> tuple[int, int]:
    """An approved assessment with a redaction awaiting approval: (assessment id, redaction id)."""
    from pia.store import get_assessment
    from pia.store.models import User
    from pia.store.redaction import request_redaction

    aid = approved_assessment(db, people, make_assessment, submit_assessment, answers)
    officer = db.get(User, people["officer_a"].id)
    first = next(q for q in bank.questions.values() if not q.sensitive)
    redaction = request_redaction(
        db,
        bank,
        get_assessment(db, aid),
        officer,
        kind="answer",
        target=first.id,
        reason="security",
    )
    return aid, redaction.id


def published_with_comments(
    db: Session, bank, people, make_assessment, submit_assessment, answers: dict[str, Any]
) -> tuple[int, int, int]:
    """An assessment published for comment with one pending comment and one approved comment
    the agency answered, so that the moderation page carries its forms: (assessment id,
    pending comment id, response id)."""
    from datetime import timedelta

    from pia.store import get_assessment
    from pia.store.comment_moderation import approve_public_comment, respond_to_public_comments
    from pia.store.models import User
    from pia.store.public_comments import RateLimit, submit_public_comment
    from pia.store.publication import allow_publication, publish_for_comment

    aid = approved_assessment(db, people, make_assessment, submit_assessment, answers)
    reviewer = db.get(User, people["reviewer_a"].id)
    officer = db.get(User, people["officer_a"].id)
    allow_publication(db, get_assessment(db, aid), reviewer, revision=1)
    publication = publish_for_comment(
        db,
        bank,
        get_assessment(db, aid),
        officer,
        opens_on=date.today(),
        closes_on=date.today() + timedelta(days=30),
    )
    limit = RateLimit(max_comments=10, window=timedelta(hours=1))
    comments = [
        submit_public_comment(
            db, publication, body=body, client_address="192.0.2.1", limit=limit
        ).id
        for body in ("Please publish the audit logs.", "Who reviews each search?")
    ]
    approve_public_comment(db, get_assessment(db, aid), officer, comments[1])
    response = respond_to_public_comments(
        db, get_assessment(db, aid), officer, comment_ids=[comments[1]], body="The board does."
    )
    db.commit()
    return aid, comments[0], response.id


@pytest.mark.parametrize("token", ["missing", "from another session"])
def test_every_post_route_refuses_a_bad_csrf_token(
    app: Flask,
    people,
    db: Session,
    make_assessment,
    submit_assessment,
    complete_answers,
    submitted: int,
    bank,
    token: str,
) -> None:
    draft = make_assessment("officer_a", answers=ANSWERS)
    approved, redaction_id = approved_with_a_redaction(
        db, bank, people, make_assessment, submit_assessment, complete_answers
    )
    published, pending_comment, response = published_with_comments(
        db, bank, people, make_assessment, submit_assessment, complete_answers
    )
    ids = {
        "section_id": bank.sections[0].id,
        "number": 1,
        "user_id": people["officer_b"].id,
        "comment_id": pending_comment,
        "response_id": response,
        "redaction_id": redaction_id,
        # Items that need not exist: the CSRF check comes before any lookup.
        "evidence_id": 1,
        "condition_id": 1,
        "plan_item_id": 1,
        "publication_id": 1,
        "meeting_id": 1,
        "token": "an-unknown-reset-token",
    }
    routes = post_routes(app, draft, submitted, ids, approved, published)
    assert len(routes) >= 10
    outsider = signed_in(app, people["officer_b"])
    extra = [f"/assessments/{draft}/sections/{section.id}" for section in bank.sections]
    extra += [f"/assessments/{submitted}/revisions/1", f"/assessments/{draft}/completeness"]
    extra += [f"/assessments/{approved}/publication", f"/assessments/{published}/public-comments"]
    pages = sorted({page for _endpoint, url in routes for page in pages_for(url, extra)})
    clients = {
        key: signed_in(app, people[key] if key else None)
        for key in {actor_for(endpoint) for endpoint, _url in routes}
    }
    forms = {key: forms_on(client, pages) for key, client in clients.items()}
    with_form = 0
    for endpoint, url in routes:
        key = actor_for(endpoint)
        client = clients[key]
        fields = forms[key].get(url, [])
        with_form += bool(fields)
        data: dict[str, Any] = {}
        for name, value in fields:
            if not name.endswith("csrf_token"):  # prefixed forms name it e.g. zone-csrf_token
                data.setdefault(name, value)
        if token != "missing":
            data["csrf_token"] = csrf_token(outsider)
        before = snapshot(db)
        response = client.post(url, data=data)
        assert response.status_code == 400, (endpoint, url, response.status_code)
        assert "did not come from this site" in response.get_data(as_text=True), endpoint
        assert snapshot(db) == before, f"{endpoint} changed the database"
    # The forms were found, so the requests were real ones, not empty posts.
    assert with_form >= len(routes) // 2, with_form
    moderation = [url for endpoint, url in routes if endpoint.startswith("moderation.")]
    assert sum(bool(forms["officer_a"].get(url)) for url in moderation) >= 4, moderation
