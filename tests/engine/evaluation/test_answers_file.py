"""Reading answer files: the forms the format allows, and junk refused with a clear message."""

from __future__ import annotations

import json

import pytest

from pia.engine import AnswersFileError, read_answers_file
from pia.engine.evaluation.answers_file import MAX_ANSWERS_BYTES


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_a_plain_mapping(tmp_path) -> None:
    document = read_answers_file(write(tmp_path, "a.yaml", "mode: live\nthreshold: 80\n"))
    assert document.answers == {"mode": "live", "threshold": 80}
    assert document.notes == {} and document.profiles == () and document.expected is None


def test_a_full_document(tmp_path) -> None:
    text = """\
assessment: {title: Pilot, agency: County}
profiles: [wa]
expected: {overall: High, findings: [low_threshold]}
why: Because.
answers:
  mode: live
  start_date: 2025-03-01
  warrant: {value: false, note: "None sought."}
  fmr: {women: 0.3, men: 0.1}
"""
    document = read_answers_file(write(tmp_path, "a.yaml", text))
    assert document.answers == {
        "mode": "live",
        "start_date": __import__("datetime").date(2025, 3, 1),
        "warrant": False,
        "fmr": {"women": 0.3, "men": 0.1},
    }
    assert type(document.answers["fmr"]) is dict  # plain values, not positioned YAML
    assert document.notes == {"warrant": "None sought."}
    assert document.profiles == ("wa",)
    assert document.assessment == {"title": "Pilot", "agency": "County"}
    assert document.expected == {"overall": "High", "findings": ["low_threshold"]}
    assert document.why == "Because."


def test_json(tmp_path) -> None:
    data = {"answers": {"threshold": 1e5, "mode": "search"}, "profiles": ["wa"]}
    document = read_answers_file(write(tmp_path, "a.json", json.dumps(data)))
    assert document.answers == {"threshold": 100000.0, "mode": "search"}
    assert document.profiles == ("wa",)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.yaml", "- mode\n- live\n", "must be a mapping"),
        ("text.yaml", "just some words\n", "must be a mapping"),
        ("empty.yaml", "", "an empty file"),
        ("bad.yaml", "mode: [live\n", "a.yaml"[0:0] + "bad.yaml:2:1"),
        ("bad.json", '{"mode": }', "bad.json:1:10"),
        ("dup.yaml", "mode: live\nmode: search\n", "duplicate key 'mode'"),
        ("dup.json", '{"mode": "a", "mode": "b"}', "duplicate key 'mode'"),
        ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
        ("nul.yaml", b"mode: \x00live", "not allowed"),
        ("deep.yaml", "mode: " + "[" * 100_000 + "]" * 100_000, "nest"),
        ("deep.json", '{"mode": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested"),
        ("deepish.json", '{"mode": ' + "[" * 50 + "]" * 50 + "}", "nested"),
        (
            "bomb.yaml",
            "a: &a [1,1,1,1,1,1,1,1,1,1]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
                for i in range(8)
            ),
            "after expanding aliases",
        ),
        ("keys.yaml", "answers: {mode: live}\nprofile: [wa]\n", "did you mean 'profiles'"),
        ("profiles.yaml", "answers: {mode: live}\nprofiles: [1]\n", "list of profile ids"),
        ("note.yaml", "answers: {mode: {value: live, note: 3}}\n", "note on 'mode' must be text"),
        ("python.yaml", "mode: !!python/object/apply:os.system ['true']\n", "python/object"),
    ],
)
def test_junk_is_refused_with_a_message(tmp_path, name, content, message) -> None:
    with pytest.raises(AnswersFileError) as caught:
        read_answers_file(write(tmp_path, name, content))
    assert message in str(caught.value)


def test_a_10_mb_file_is_refused_before_it_is_parsed(tmp_path) -> None:
    path = write(tmp_path, "big.yaml", "mode: " + "x" * (10 * 1024 * 1024) + "\n")
    with pytest.raises(AnswersFileError, match=f"the limit is {MAX_ANSWERS_BYTES:,}"):
        read_answers_file(path)


def test_a_missing_file(tmp_path) -> None:
    with pytest.raises(AnswersFileError, match="cannot read the file"):
        read_answers_file(tmp_path / "nowhere.yaml")


def test_a_document_with_no_answers_yet(tmp_path) -> None:
    document = read_answers_file(write(tmp_path, "a.yaml", "profiles: [wa]\nanswers:\n"))
    assert document.answers == {} and document.profiles == ("wa",)
    with pytest.raises(AnswersFileError, match="'answers' must be a mapping"):
        read_answers_file(write(tmp_path, "b.yaml", "answers: [mode, live]\n"))
