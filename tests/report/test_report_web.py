"""The report page and downloads in the web app, over SQLite and PostgreSQL (the web fixtures)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from pia.cli import main
from pia.report.exports import FINDING_COLUMNS

# The web fixtures live in tests/web/conftest.py, which pytest applies to tests/web/ only: load it
# under another name and expose the fixtures this module uses.
_WEB_CONFTEST = Path(__file__).resolve().parents[1] / "web" / "conftest.py"
_spec = importlib.util.spec_from_file_location("report_web_fixtures", _WEB_CONFTEST)
assert _spec and _spec.loader
web_fixtures = importlib.util.module_from_spec(_spec)
sys.modules["report_web_fixtures"] = web_fixtures
_spec.loader.exec_module(web_fixtures)

bank = web_fixtures.bank
app_config = web_fixtures.app_config
app = web_fixtures.app
client = web_fixtures.client
db = web_fixtures.db
people = web_fixtures.people
auth = web_fixtures.auth
make_assessment = web_fixtures.make_assessment
submit_assessment = web_fixtures.submit_assessment
complete_answers_fixture = web_fixtures.complete_answers_fixture

SECTION_TITLES = [
    "Executive summary",
    "Risk heat map",
    "Findings by criterion",
    "Obligations and statutory coverage",
    "Appendix A: Answers",
    "Appendix B: Methodology",
]
SUFFIXES = ("report", "report.pdf", "report.json", "findings.csv")
HOSTILE_TITLE = "Pilot <script>alert(1)</script> & <b>bold</b>"


@pytest.fixture
def draft(make_assessment, complete_answers) -> int:
    return make_assessment("officer_a", title=HOSTILE_TITLE, answers=complete_answers)


def test_report_page_shows_every_section_in_pdf_order(auth, client, draft) -> None:
    auth.login("officer_a")
    page = client.get(f"/assessments/{draft}/report")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    positions = [html.index(f">{title}</h2>") for title in SECTION_TITLES]
    assert positions == sorted(positions)
    pdf = client.get(f"/assessments/{draft}/report.pdf").data
    outline = [
        item.title for item in PdfReader(io.BytesIO(pdf)).outline if not isinstance(item, list)
    ]
    assert outline[1:] == SECTION_TITLES
    assert "DRAFT" in html
    for suffix in ("report.pdf", "report.json", "findings.csv"):
        assert f"/assessments/{draft}/{suffix}" in html


def test_report_page_escapes_user_text(auth, client, draft) -> None:
    auth.login("officer_a")
    html = client.get(f"/assessments/{draft}/report").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "Pilot &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_pdf_download(auth, client, draft, tmp_path, capsys) -> None:
    auth.login("officer_a")
    response = client.get(f"/assessments/{draft}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert "".join(HOSTILE_TITLE.split()) in "".join(reader.pages[0].extract_text().split())
    assert set(reader.attachments) == {"assessment.json", "evaluation.json"}
    assert client.get(f"/assessments/{draft}/report.pdf").data == response.data
    # what the web app serves is exactly what `pia verify` rebuilds from the embedded data
    path = tmp_path / "download.pdf"
    path.write_bytes(response.data)
    assert main(["verify", str(path), "--bank", str(web_fixtures.BANK_DIR)]) == 0
    assert "exactly the document pia produces" in capsys.readouterr().out


def test_json_and_csv_downloads(auth, client, draft, bank) -> None:
    auth.login("officer_a")
    data = json.loads(client.get(f"/assessments/{draft}/report.json").data)
    assert data["bank"] == {"id": bank.id, "version": bank.version, "digest": bank.digest}
    assert data["meta"]["title"] == HOSTILE_TITLE
    findings = data["evaluation"]["findings"]
    response = client.get(f"/assessments/{draft}/findings.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == FINDING_COLUMNS
    assert [row[0] for row in rows[1:]] == [finding["rule"] for finding in findings]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_another_agency_gets_not_found(auth, client, draft, suffix) -> None:
    auth.login("officer_b")
    assert client.get(f"/assessments/{draft}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_anonymous_is_sent_to_sign_in(client, draft, suffix) -> None:
    response = client.get(f"/assessments/{draft}/{suffix}")
    assert response.status_code == 302
    assert "/signin" in response.headers["Location"]


def test_reviewer_sees_only_submitted_revisions(auth, client, draft, submit_assessment) -> None:
    auth.login("reviewer_a")
    assert client.get(f"/assessments/{draft}/report").status_code == 404
    submit_assessment(draft)
    page = client.get(f"/assessments/{draft}/report")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Submitted, revision 1" in html
    assert "not submitted for review" not in html
    assert client.get(f"/assessments/{draft}/report.pdf?revision=1").status_code == 200
    auth.logout()
    auth.login("reviewer_b")
    assert client.get(f"/assessments/{draft}/report").status_code == 404


@pytest.mark.parametrize("revision", ["7", "0", "abc", "-1"])
def test_unknown_revision_is_not_found(auth, client, draft, revision) -> None:
    auth.login("officer_a")
    assert client.get(f"/assessments/{draft}/report?revision={revision}").status_code == 404


def test_unknown_assessment_is_not_found(auth, client, people) -> None:
    auth.login("officer_a")
    assert client.get("/assessments/999999/report").status_code == 404


def test_an_empty_assessment_reads_not_yet_rated_everywhere(auth, client, make_assessment) -> None:
    """Nothing answered is not "Low": the dashboard, overview, wizard, report page, JSON and PDF
    all say "Not yet rated"."""
    empty = make_assessment("officer_a", title="Nothing answered yet")
    auth.login("officer_a")
    dashboard = client.get("/").get_data(as_text=True)
    row = dashboard[dashboard.index("Nothing answered yet") :]
    row = row[: row.index("</tr>")]
    assert "Not yet rated" in row and ">Low<" not in row
    overview = client.get(f"/assessments/{empty}").get_data(as_text=True)
    assert 'level-none">Not yet rated</span>' in overview
    wizard = client.get(f"/assessments/{empty}/sections/system").get_data(as_text=True)
    assert "data-overall-level>Not yet rated</strong>" in wizard
    report = client.get(f"/assessments/{empty}/report").get_data(as_text=True)
    assert "Not yet rated" in report
    data = json.loads(client.get(f"/assessments/{empty}/report.json").data)
    assert data["evaluation"]["overall"]["level"] == "Not yet rated"
    assert data["evaluation"]["overall"]["rated"] is False
    pdf = PdfReader(io.BytesIO(client.get(f"/assessments/{empty}/report.pdf").data))
    assert "Not yet rated" in "".join(page.extract_text() for page in pdf.pages)


def test_answers_saved_under_an_older_bank_version_still_open_with_a_note(
    auth, client, db, people, make_assessment, complete_answers, bank
) -> None:
    """A revision or draft recorded under an older version of the bank is re-evaluated under the
    current one, says so, and keeps every stored answer (one to a question since removed too)."""
    import dataclasses

    from sqlalchemy import update

    from pia.store import get_assessment, submit
    from pia.store.models import Assessment, User

    older = dataclasses.replace(bank, version="1.1.0")
    assessment_id = make_assessment("officer_a", title="Saved long ago", answers=complete_answers)
    old_answers = {**complete_answers, "retired_question": "an answer the bank no longer asks"}
    db.execute(update(Assessment).where(Assessment.id == assessment_id).values(answers=old_answers))
    db.commit()
    db.expire_all()
    assessment = get_assessment(db, assessment_id)
    submit(db, older, assessment, db.get(User, people["officer_a"].id), assessment.lock_version)
    db.commit()
    db.execute(
        update(Assessment).where(Assessment.id == assessment_id).values(bank_version="1.1.0")
    )
    db.commit()
    auth.login("officer_a")
    report = f"/assessments/{assessment_id}/report"
    for url in (f"{report}?revision=1", report):
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        assert "recorded under question bank version 1.1.0" in html
        assert f"under version {bank.version}" in html
        assert "1 answer(s) to questions this version no longer asks" in html
    data = json.loads(client.get(f"/assessments/{assessment_id}/report.json?revision=1").data)
    assert data["evaluation"]["bank_version"] == bank.version
    db.expire_all()
    assert get_assessment(db, assessment_id).answers["retired_question"] == (
        "an answer the bank no longer asks"
    )
