"""Names in eleven scripts printed in the title, running header, cover, answers and notes.

What the checks can prove: poppler's pdftotext turns the drawn glyphs back into text (through each
font's ToUnicode map, /ActualText for shaped Indic runs, and its own bidi reordering of right-to-
left text), so finding a name in its output after NFKC normalisation (Arabic glyphs are extracted
as presentation forms) proves it was drawn with real glyphs and comes back in logical order; it
does not prove the glyphs look right, which the shaping unit tests (glyph order and positions) and
a look at a rendered page do. pypdf reads ToUnicode only, not /ActualText: it is used for the
scripts whose glyphs are one per character (Arabic in Noto Sans Arabic is not: many letters are a
shared form plus dots, and conjuncts have no character of their own).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from report_pdf_reading import all_text, page_texts

from pia.engine import evaluate
from pia.engine.bank.model import Bank
from pia.report import render_assessment_pdf
from pia.report.script_fonts import SOURCES, FontSet, font_set, missing_note
from pia.report.shaping import base_level, shape, visual_runs

NAMES = {
    "Latin": "Zoë Ångström-Łukasiewicz",
    "Greek": "Αλέξανδρος Παπαδόπουλος",
    "Cyrillic": "Евгения Кузнецова",
    "Arabic": "محمد بن عبد الله",
    "Hebrew": "שרה כהן",
    "Devanagari": "प्रियंका क्षत्रिय",
    "Tamil": "தமிழ்செல்வி",
    "Thai": "สมชาย ใจดี",
    "Chinese": "北京市公安局",
    "Japanese": "東京都 たなか ゆうこ",
    "Korean": "서울특별시 김민준",
}
ONE_GLYPH_PER_CHARACTER = ("Latin", "Greek", "Cyrillic", "Hebrew", "Chinese", "Japanese", "Korean")
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\\s]")


def comparable(text: str) -> str:
    return BIDI_MARKS.sub("", unicodedata.normalize("NFKC", text))


def pdftotext(pdf: bytes, tmp_path: Path, first: int = 1, last: int = 0) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(first)] + (["-l", str(last)] if last else [])
    run = subprocess.run(
        ["pdftotext", *pages, str(path), "-"], capture_output=True, check=True, text=True
    )
    return run.stdout


@pytest.fixture(scope="module")
def mixed(bank: Bank) -> tuple[bytes, dict]:
    everyone = " · ".join(NAMES.values())
    answers = {"product_name": everyone, "mode": "search", "description": everyone}
    notes = {"product_name": "Named by " + everyone}
    meta = {"title": "Pilot " + " ".join(NAMES[s] for s in ("Arabic", "Hebrew", "Devanagari"))}
    meta |= {"agency": NAMES["Chinese"] + " " + NAMES["Korean"], "vendor": NAMES["Thai"]}
    pdf = render_assessment_pdf(bank, evaluate(bank, answers, []), answers, notes, meta)
    return pdf, meta


needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@needs_poppler
def test_every_script_comes_back_from_the_cover_answers_and_notes(mixed, tmp_path) -> None:
    pdf, meta = mixed
    cover = comparable(pdftotext(pdf, tmp_path, 1, 1))
    for script in ("Arabic", "Hebrew", "Devanagari", "Chinese", "Korean", "Thai"):
        assert comparable(NAMES[script]) in cover, script
    text = pdftotext(pdf, tmp_path)
    whole = comparable(text)
    for script, name in NAMES.items():
        # product name in the answers, the description, the note: at least three times
        assert whole.count(comparable(name)) >= 3, script
    assert comparable("Named by " + NAMES["Latin"]) in whole
    header = [line for line in text.splitlines() if line.startswith("Pilot")]
    assert len(header) >= 3, "the running header of every page after the cover"
    assert comparable(header[1]).startswith(comparable(meta["title"]))


def test_scripts_with_one_glyph_per_character_read_back_with_pypdf(mixed) -> None:
    pdf, _meta = mixed
    whole = comparable(all_text(pdf))
    for script in ONE_GLYPH_PER_CHARACTER:
        assert comparable(NAMES[script]) in whole, script


def test_nothing_prints_as_a_replacement_glyph(mixed) -> None:
    pdf, _meta = mixed
    assert "\ufffd" not in all_text(pdf)
    assert "Not printed" not in page_texts(pdf)[0]


def test_two_renders_are_byte_identical(bank: Bank, mixed) -> None:
    pdf, meta = mixed
    everyone = " · ".join(NAMES.values())
    answers = {"product_name": everyone, "mode": "search", "description": everyone}
    notes = {"product_name": "Named by " + everyone}
    again = render_assessment_pdf(bank, evaluate(bank, answers, []), answers, notes, meta)
    assert again == pdf


def test_a_character_no_font_has_is_marked_and_listed_on_the_cover(bank: Bank) -> None:
    answers = {"product_name": "Face \U0001f600 \U00013000 end", "mode": "search"}
    meta = {"title": "T \U0001f600"}
    pdf = render_assessment_pdf(bank, evaluate(bank, answers, []), answers, {}, meta)
    text = all_text(pdf)
    assert "[U+1F600]" in text and "[U+13000]" in text
    cover = " ".join(page_texts(pdf)[0].split())
    assert "Not printed." in cover
    assert "U+1F600 GRINNING FACE" in cover and "U+13000 EGYPTIAN HIEROGLYPH A001" in cover
    assert "\ufffd" not in text


def test_a_missing_font_names_the_package_to_install() -> None:
    hebrew = next(source for source in SOURCES if source.name == "NotoSansHebrew")
    fonts = FontSet(font_set().fonts, (), (hebrew,))
    assert "fonts-noto-core" in missing_note(fonts, {ord("ש")})
    assert missing_note(fonts, {0x1F600}) == ""


def codes(run) -> str:
    return "".join(glyph.code for glyph in run.glyphs)


def test_hebrew_and_arabic_are_laid_out_right_to_left() -> None:
    fonts = font_set()
    (hebrew,) = visual_runs("שרה", base_level("שרה"), fonts)
    assert hebrew.rtl and codes(hebrew) == "הרש"  # drawn from the left: last letter first
    (arabic,) = visual_runs("محمد", 1, fonts)
    forms = codes(arabic)
    # joined: final dal, medial meem, medial hah, initial meem (presentation forms), left to right
    assert unicodedata.normalize("NFKC", forms) == "دمحم"
    assert forms != "دمحم", "contextual forms, not isolated letters"
    assert [unicodedata.name(c).split()[-2] for c in forms] == [
        "FINAL",
        "MEDIAL",
        "MEDIAL",
        "INITIAL",
    ]


def test_latin_and_arabic_runs_in_visual_order() -> None:
    runs = visual_runs("Ali علي 12", 0, font_set())
    assert [run.text.strip() for run in runs] == ["Ali", "12", "علي"]  # digits join the RTL run


def test_devanagari_vowel_sign_i_is_drawn_before_its_consonant() -> None:
    run = shape("NotoSansDevanagari", "कि", False)
    assert codes(run)[0] == "\u093f" or run.glyphs[0].code != "क"
    conjunct = shape("NotoSansDevanagari", "क्ष", False)
    assert len(conjunct.glyphs) == 1, "ksha is one conjunct glyph, no visible virama"


def test_a_combining_accent_sits_on_its_letter() -> None:
    run = visual_runs("x\u0301", 0, font_set())[0]
    base, accent = run.glyphs
    assert accent.advance == 0 and run.width == base.advance  # the next letter is not pushed


def test_a_mixed_script_report_verifies_in_a_fresh_process(
    mixed, tmp_path, bank_dir, signing_key
) -> None:
    from pia.report.signing import sign_pdf

    pdf, _meta = mixed
    path = tmp_path / "mixed.pdf"
    path.write_bytes(sign_pdf(pdf, signing_key))  # pia verify accepts signed reports only
    run = subprocess.run(
        [sys.executable, "-m", "pia", "verify", str(path), "--bank", str(bank_dir)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ok  rendering" in run.stdout
