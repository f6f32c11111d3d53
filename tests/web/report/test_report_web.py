"""The report page and downloads in the web app, over SQLite and PostgreSQL (the web fixtures)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from pia.cli import main
from pia.report.exports import FINDING_COLUMNS
from pia.report.signing import SigningError, SigningKey, installation_signing_key
from pia.web.report.views import DOCX_TYPE


@pytest.fixture(scope="module")
def foreign_key(tmp_path_factory: pytest.TempPathFactory) -> SigningKey:
    """Another organisation's certificate and key, as an agency would configure its own."""
    return installation_signing_key(tmp_path_factory.mktemp("agency"), "Example Agency")


SECTION_TITLES = [
    "Executive summary",
    "Risk heat map",
    "Findings by criterion",
    "Action plan",
    "Obligations and statutory coverage",
    "Appendix A: Answers",
    "Appendix B: Methodology",
]
SUFFIXES = ("report", "report.pdf", "report.docx", "report.json", "findings.csv")
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
    for suffix in ("report.pdf", "report.docx", "report.json", "findings.csv"):
        assert f"/assessments/{draft}/{suffix}" in html


def test_report_page_escapes_user_text(auth, client, draft) -> None:
    auth.login("officer_a")
    html = client.get(f"/assessments/{draft}/report").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "Pilot &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_pdf_download(auth, app, client, draft, tmp_path, capsys, monkeypatch, bank_dir) -> None:
    auth.login("officer_a")
    response = client.get(f"/assessments/{draft}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert "".join(HOSTILE_TITLE.split()) in "".join(reader.pages[0].extract_text().split())
    assert set(reader.attachments) == {"assessment.json", "evaluation.json"}
    # signed by the installation's certificate, created on first use in the instance folder
    signature = PdfFileReader(io.BytesIO(response.data)).embedded_signatures[0]
    certificate = Path(app.instance_path) / "signing" / "certificate.pem"
    trusted = load_cert_from_pemder(str(certificate))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[trusted]))
    assert status.intact and status.valid and status.trusted
    # what the web app serves is exactly what `pia verify` rebuilds from the embedded data, and
    # signed by this installation (pia verify trusts the instance folder's certificate)
    monkeypatch.setenv("PIA_INSTANCE", app.instance_path)
    for download in (response.data, client.get(f"/assessments/{draft}/report.pdf").data):
        path = tmp_path / "download.pdf"
        path.write_bytes(download)
        assert main(["verify", str(path), "--bank", str(bank_dir)]) == 0
        assert "VERIFIED: signed by" in capsys.readouterr().out
    # another installation does not vouch for it
    monkeypatch.setenv("PIA_INSTANCE", str(tmp_path / "elsewhere"))
    assert main(["verify", str(path), "--bank", str(bank_dir)]) == 1
    assert "FAILED  certificate" in capsys.readouterr().out


def test_docx_download(auth, client, draft) -> None:
    auth.login("officer_a")
    response = client.get(f"/assessments/{draft}/report.docx")
    assert response.status_code == 200
    assert response.mimetype == DOCX_TYPE
    assert response.headers["Content-Disposition"].endswith('-report.docx"')
    word = docx.Document(io.BytesIO(response.data))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == [HOSTILE_TITLE, *SECTION_TITLES]


def test_cover_names_the_officer_and_the_agency_time(auth, client, draft, db, people) -> None:
    from pia.store import get_agency, set_agency_time_zone

    set_agency_time_zone(db, get_agency(db, people.agencies["a"]), "Europe/Berlin")
    auth.login("officer_a")
    html = client.get(f"/assessments/{draft}/report").get_data(as_text=True)
    author = re.search(r"<dt>Author</dt><dd[^>]*>([^<]*)</dd>", html)
    assert author and author.group(1) == people["officer_a"].name
    date = re.search(r"<dt>Date</dt><dd[^>]*>([^<]*)</dd>", html)
    assert date and re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d CES?T", date.group(1))
    assert "`" not in html


def test_json_and_csv_downloads(auth, client, draft, bank) -> None:
    auth.login("officer_a")
    data = json.loads(client.get(f"/assessments/{draft}/report.json").data)
    assert data["bank"] == {"id": bank.id, "version": bank.version, "digest": bank.digest}
    assert data["meta"]["title"] == HOSTILE_TITLE
    findings = data["evaluation"]["findings"]
    response = client.get(f"/assessments/{draft}/findings.csv")
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark, for Excel
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
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


def test_an_agencys_own_certificate_signs_served_pdfs(
    second_app, people, draft, foreign_key, tmp_path, monkeypatch
) -> None:
    certificate, key = tmp_path / "agency.pem", tmp_path / "agency-key.pem"
    certificate.write_bytes(foreign_key.certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        foreign_key.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"agency passphrase"),
        )
    )
    monkeypatch.setenv("PIA_SIGNING_CERT", str(certificate))
    monkeypatch.setenv("PIA_SIGNING_KEY", str(key))
    monkeypatch.setenv("PIA_SIGNING_PASSPHRASE", "agency passphrase")
    client = second_app().test_client()
    page = client.get("/signin").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert token
    officer = people["officer_a"]
    credentials = {"email": officer.email, "password": officer.password, "csrf_token": token[1]}
    assert client.post("/signin", data=credentials).status_code in (302, 303)
    pdf = client.get(f"/assessments/{draft}/report.pdf").data
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    assert signature.signer_cert.sha256 == foreign_key._signer.signing_cert.sha256


def test_a_wrong_signing_passphrase_stops_the_app(
    second_app, foreign_key, tmp_path, monkeypatch
) -> None:
    bundle = tmp_path / "agency.p12"
    bundle.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"agency",
            foreign_key.private_key,
            foreign_key.certificate,
            None,
            serialization.BestAvailableEncryption(b"right"),
        )
    )
    monkeypatch.setenv("PIA_SIGNING_CERT", str(bundle))
    monkeypatch.setenv("PIA_SIGNING_PASSPHRASE", "wrong")
    with pytest.raises(SigningError, match="not a PKCS#12 file this passphrase opens"):
        second_app()


def test_user_text_takes_its_own_direction_on_the_page(auth, client, make_assessment) -> None:
    arabic = "محمد بن عبد الله"
    assessment = make_assessment("officer_a", title=f"{arabic} pilot", answers={})
    auth.login("officer_a")
    html = client.get(f"/assessments/{assessment}/report").get_data(as_text=True)
    assert f'<p class="report-running"><bdi>{arabic} pilot</bdi>' in html
    assert f'<h1 id="cover-title" dir="auto">{arabic} pilot</h1>' in html
    assert '<dd dir="auto">' in html and '<p dir="auto" class="report-text' in html
    dashboard = client.get("/").get_data(as_text=True)
    assert f"<bdi>{arabic} pilot</bdi>" in dashboard


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
