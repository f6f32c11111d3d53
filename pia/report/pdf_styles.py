"""The report's named paragraph styles, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle

from pia.report.fonts import FONT, FONT_BOLD

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b76")  # MUTED_HEX
ACCENT = colors.HexColor("#1d4e89")
ANSWER = ACCENT
ALERT = colors.HexColor("#9b1c1c")
RULE = colors.HexColor("#c5ccd3")
SHADE = colors.HexColor("#f1f4f7")
MUTED_HEX = "#5f6b76"
ANSWER_HEX = "#1d4e89"  # answers quoted in findings and the appendix


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    lead: ParagraphStyle
    muted: ParagraphStyle
    alert: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    small: ParagraphStyle
    bullet: ParagraphStyle
    finding_title: ParagraphStyle
    question: ParagraphStyle
    answer: ParagraphStyle
    unanswered: ParagraphStyle
    note: ParagraphStyle
    evidence: ParagraphStyle
    rating: ParagraphStyle
    item: ParagraphStyle
    small_item: ParagraphStyle
    label: ParagraphStyle
    rule: ParagraphStyle


def make_styles() -> Styles:
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=9.5,
        leading=13,
        textColor=INK,
        spaceAfter=5,
        splitLongWords=1,
        bulletFontName=FONT,  # not Helvetica: every glyph comes from the embedded font
    )

    def derive(name: str, **changes: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return Styles(
        title=derive(
            "title", fontName=FONT_BOLD, fontSize=24, leading=30, textColor=ACCENT, spaceAfter=8
        ),
        subtitle=derive("subtitle", fontSize=12, leading=16, textColor=MUTED, spaceAfter=18),
        h1=derive(
            "h1",
            fontName=FONT_BOLD,
            fontSize=17,
            leading=22,
            textColor=ACCENT,
            spaceBefore=4,
            spaceAfter=10,
        ),
        h2=derive(
            "h2",
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=5,
        ),
        h3=derive(
            "h3",
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=14,
            textColor=INK,
            spaceBefore=8,
            spaceAfter=4,
        ),
        body=base,
        lead=derive("lead", fontSize=11.5, leading=16, spaceAfter=8),
        muted=derive("muted", fontSize=8.5, leading=11.5, textColor=MUTED),
        alert=derive(
            "alert",
            textColor=ALERT,
            borderColor=ALERT,
            borderWidth=0.8,
            borderPadding=5,
            backColor=colors.HexColor("#fdf0f0"),
            spaceBefore=6,
            spaceAfter=10,
        ),
        cell=derive("cell", fontSize=8.5, leading=11, spaceAfter=0),
        cell_head=derive(
            "cell_head", fontName=FONT_BOLD, fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=0
        ),
        small=derive("small", fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=2),
        bullet=derive("bullet", leftIndent=12, bulletIndent=2, spaceAfter=2),
        finding_title=derive(
            "finding_title",
            fontName=FONT_BOLD,
            fontSize=11,
            leading=15,
            backColor=SHADE,
            borderPadding=(3, 4, 3, 4),
            spaceBefore=4,
            spaceAfter=6,
        ),
        question=derive(
            "question",
            fontName=FONT_BOLD,
            fontSize=9,
            leading=12,
            spaceBefore=6,
            spaceAfter=1,
        ),
        answer=derive("answer", leftIndent=12, spaceAfter=1, textColor=ANSWER),
        unanswered=derive("unanswered", leftIndent=12, spaceAfter=1, textColor=MUTED, fontSize=8.5),
        note=derive("note", leftIndent=12, fontSize=8.5, leading=11.5, spaceAfter=1),
        evidence=derive(
            "evidence", leftIndent=12, fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=1
        ),
        rating=derive("rating", fontSize=8.5, leading=11.5, leftIndent=8, spaceAfter=0),
        item=derive(
            "item", fontSize=8.5, leading=11.5, leftIndent=20, bulletIndent=10, spaceAfter=1
        ),
        small_item=derive(
            "small_item",
            fontSize=7.5,
            leading=10,
            leftIndent=20,
            bulletIndent=10,
            textColor=MUTED,
            spaceAfter=1,
        ),
        label=derive(
            "label", fontName=FONT_BOLD, fontSize=8.5, leading=11, spaceBefore=4, spaceAfter=1
        ),
        rule=derive("rule", fontSize=7, leading=9, textColor=MUTED, leftIndent=8, spaceAfter=4),
    )
