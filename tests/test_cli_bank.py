"""`pia check` and `pia assess`: exit codes and output, through main(argv) and a real process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pia.cli import main

ENGINE_TESTS = Path(__file__).parent / "engine"
sys.path.insert(0, str(ENGINE_TESTS))
from inline_bank import BASE_FILES, RULES, SYSTEM  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    return write(tmp_path / "bank", BASE_FILES)


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def answers_file(tmp_path: Path, text: str, name: str = "answers.yaml") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


LIVE = """\
profiles: [wa]
answers:
  mode: live
  warrant: {value: false, note: No warrant is sought.}
  threshold: 80
  fmr: {women: 0.3, men: 0.1}
"""


def test_check_ok(bank_dir, capsys) -> None:
    assert main(["check", str(bank_dir)]) == 0
    assert (
        capsys.readouterr().out == "ok: 2 sections, 8 questions, 3 rules, 2 criteria, 1 profiles\n"
    )


def test_check_lists_every_problem(tmp_path, capsys) -> None:
    broken = RULES.replace("severity: 3\n", "severity: 9\n", 1).replace(
        "threshold < 99", "thresold < 99"
    )
    folder = write(tmp_path / "bank", {**BASE_FILES, "rules/r.yaml": broken})
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert len(lines) == 3
    assert "did you mean 'threshold'?" in lines[0]
    assert "'severity' is 9; it must be from 1 to 4" in lines[1]
    assert lines[-1] == "2 problem(s)"
    assert lines[0].startswith("rules/r.yaml:6:11: unknown-name")
    assert lines[1].startswith("rules/r.yaml:7:15: bad-value")
    assert "does not check" in out.err


def test_check_default_folder_from_the_environment(bank_dir, capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PIA_BANK", str(bank_dir))
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("ok: 2 sections")


def test_check_a_folder_that_is_not_a_bank(tmp_path, capsys) -> None:
    assert main(["check", str(tmp_path)]) == 1
    assert "no-bank" in capsys.readouterr().out


def test_assess_text(bank_dir, tmp_path, capsys) -> None:
    assert main(["assess", answers_file(tmp_path, LIVE), "--bank", str(bank_dir)]) == 0
    out = capsys.readouterr().out
    assert "Overall: Prohibited" in out
    assert "  Very high  c1: Legal basis (1 finding)" in out
    assert "  High       c4: Equal protection (2 findings)" in out
    assert "  1. [Very high] Live without warrant (live_no_warrant)" in out
    assert "     because mode = Live matching" in out
    assert "     because warrant = no" in out
    assert "     because disparity = 3x" in out


def test_assess_profile_option_overrides_the_file(bank_dir, tmp_path, capsys) -> None:
    path = answers_file(tmp_path, LIVE.replace("profiles: [wa]\n", "profiles: [nowhere]\n"))
    assert (
        main(["assess", path, "--bank", str(bank_dir), "--profile", "wa", "--format", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == "2"
    assert data["overall"]["level"] == "Prohibited"
    assert data["profiles"] == ["wa"]
    assert data["findings"][0]["rule"] == "live_no_warrant"


def test_assess_json_to_a_file(bank_dir, tmp_path, capsys) -> None:
    out_file = tmp_path / "out.json"
    args = ["assess", answers_file(tmp_path, LIVE), "--bank", str(bank_dir), "--format", "json"]
    assert main([*args, "-o", str(out_file)]) == 0
    assert json.loads(out_file.read_text())["overall"]["level"] == "Prohibited"


def test_assess_reports_each_bad_answer_and_exits_1(bank_dir, tmp_path, capsys) -> None:
    path = answers_file(tmp_path, "mode: lve\nthreshold: 200\nmood: 1\n")
    assert main(["assess", path, "--bank", str(bank_dir)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"{path}: mode: unknown-choice: 'lve' is not a choice (did you mean 'live'?); "
        "expected one of 'verify', 'search', 'live'"
    )
    assert err[1] == (
        f"{path}: threshold: out-of-bounds: 200 is out of bounds; expected a number from 0 to 100"
    )
    assert err[2].startswith(f"{path}: mood: unknown-question:")
    assert "nothing was assessed" in err[3]


def test_assess_unknown_profile(bank_dir, tmp_path, capsys) -> None:
    path = answers_file(tmp_path, LIVE)
    assert main(["assess", path, "--bank", str(bank_dir), "--profile", "wax"]) == 1
    assert "no profile 'wax' (did you mean 'wa'?)" in capsys.readouterr().err


def test_assess_refuses_a_bank_that_does_not_check(tmp_path, capsys) -> None:
    folder = write(tmp_path / "bank", {**BASE_FILES, "rules/r.yaml": "rules: 3\n"})
    assert main(["assess", answers_file(tmp_path, LIVE), "--bank", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "rules/r.yaml:1:8: wrong-type" in err and "does not check" in err


def test_pdf_needs_an_output_file(bank_dir, tmp_path, capsys) -> None:
    path = answers_file(tmp_path, LIVE)
    assert main(["assess", path, "--bank", str(bank_dir), "--format", "pdf"]) == 1
    assert "needs -o FILE" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.yaml", "- a\n- b\n", "must be a mapping"),
        ("junk.yaml", b"\xff\xd8\xff\xe0 JFIF", "not UTF-8"),
        ("deep.yaml", "mode: " + "[" * 10_000 + "]" * 10_000, "nest"),
        ("deep.json", '{"mode": ' + "[" * 10_000 + "]" * 10_000 + "}", "nested"),
        ("huge.yaml", "mode: " + "x" * (10 * 1024 * 1024), "the limit is"),
    ],
)
def test_junk_answers_files_give_a_message_not_a_traceback(
    bank_dir, tmp_path, name, content, message
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = subprocess.run(
        [sys.executable, "-m", "pia", "assess", str(path), "--bank", str(bank_dir)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("pia: ") and message in result.stderr
    assert result.stdout == ""


def test_the_shipped_bank_checks() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pia", "check", "questions/"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: ")


def test_assess_pdf_writes_a_report_pypdf_can_read(bank_dir, tmp_path, capsys) -> None:
    import pypdf

    out_file = tmp_path / "report.pdf"
    path = answers_file(tmp_path, "assessment: {title: Pilot of live matching}\n" + LIVE)
    args = ["assess", path, "--bank", str(bank_dir), "--format", "pdf", "-o", str(out_file)]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out_file}")
    reader = pypdf.PdfReader(out_file)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Live without warrant" in text
    assert "Prohibited" in text


def test_output_cut_short_by_the_reader_is_no_traceback(tmp_path) -> None:
    many = "".join(f"  - id: q{n}\n    text: Q\n    type: nonsense\n" for n in range(3000))
    folder = write(tmp_path / "bank", {**BASE_FILES, "sections/system.yaml": SYSTEM + many})
    with subprocess.Popen(
        ["head", "-n", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as reader:
        result = subprocess.run(
            [sys.executable, "-m", "pia", "check", str(folder)],
            stdout=reader.stdin,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        reader.stdin.close()
        assert reader.stdout.read().startswith(b"sections/system.yaml:")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
