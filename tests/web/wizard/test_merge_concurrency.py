"""Fifty people saving one assessment at once, each a different question: all accepted, nothing
lost (the shipped bank, which has enough questions on its first pages)."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from page_form import as_post_data, submitted_pairs
from sqlalchemy.orm import Session
from wizard_helpers import section_url, stored


def open_page(client: FlaskClient, aid: int, section: str) -> list[tuple[str, str]]:
    response = client.get(section_url(aid, section))
    assert response.status_code == 200
    return submitted_pairs(response.get_data(as_text=True), "section-form")


def with_note(pairs: list[tuple[str, str]], question_id: str, note: str) -> dict[str, Any]:
    name = f"{question_id}-note"
    assert any(n == name for n, _ in pairs)
    return as_post_data([(n, note if n == name else v) for n, v in pairs])


def test_fifty_concurrent_saves_to_different_questions_all_succeed(
    app: Flask, auth: Any, db: Session, make_assessment: Any
) -> None:
    """Fifty tabs, each opened before any saves and each changing one question's note, saved at
    once through autosave: all accepted, none lost."""
    aid = make_assessment()
    auth.login("officer_a")
    token = auth.csrf_token()
    cookie = auth.client.get_cookie("pia_session").value
    pages = {}
    jobs = []
    for section in app.extensions["pia.bank"].sections:
        pairs = open_page(auth.client, aid, section.id)
        pages[section.id] = pairs
        asked = [value for name, value in pairs if name == "asked"]
        for question_id in asked:
            jobs.append((section.id, question_id))
    jobs = jobs[:50]
    assert len(jobs) == 50
    _run_concurrently(app, cookie, token, aid, pages, jobs)
    assessment = stored(db, aid)
    assert assessment.lock_version == 50  # fifty saves, none merged into another or lost
    notes = assessment.notes
    assert {q: notes.get(q) for _, q in jobs} == {q: f"Note by tab {q}" for _, q in jobs}


def _run_concurrently(
    app: Flask,
    cookie: str,
    token: str,
    aid: int,
    pages: dict[str, list[tuple[str, str]]],
    jobs: list[tuple[str, str]],
) -> list[int]:
    barrier = threading.Barrier(len(jobs))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(section: str, question_id: str) -> None:
        client = app.test_client()
        client.set_cookie("pia_session", cookie)
        data = with_note(pages[section], question_id, f"Note by tab {question_id}")
        barrier.wait()
        response = client.post(
            section_url(aid, section) + "/autosave",
            data=data,
            headers={"X-CSRFToken": token, "Accept": "application/json"},
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(jobs)
    return statuses
