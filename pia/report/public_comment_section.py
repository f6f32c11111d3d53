"""The final report's section "Public comment and response": the comment period, how many
comments were received, approved and rejected, the themes, the agency's responses with the
comments they answer, and the community meetings held.

Read off a PublicCommentRecord (plain data the caller passes in). Comments are people's plain text:
blocks carry them as text, and every renderer escapes it (no markup is ever interpreted).
"""

from __future__ import annotations

from pia.report.blocks import Block, Bullets, Cell, Facts, Heading, Section, Table, Text
from pia.report.public_comment_record import PublicCommentRecord, ResponseView

SECTION_ID = "public-comment"
SECTION_TITLE = "Public comment and response"


def public_comment_section(record: PublicCommentRecord) -> Section:
    if record.opens_on and record.closes_on:
        period = f"{record.opens_on} to {record.closes_on}"
    else:
        period = "No comment period was held"
    rows = [
        ("Comment period", period),
        ("Comments received", str(record.received)),
        ("Approved and published", str(record.approved)),
        ("Rejected", str(record.rejected)),
        ("Duplicates of another comment", str(record.duplicates)),
    ]
    if record.pending:
        rows.append(("Not yet moderated", str(record.pending)))
    held = str(len(record.meetings))
    if record.meetings_required:
        held += f" (the chosen profiles ask for at least {record.meetings_required})"
    rows.append(("Community meetings held", held))
    blocks: list[Block] = [Facts(tuple(rows))]

    blocks.append(Heading("Themes", level=3, anchor="public-comment-themes"))
    if record.themes:
        blocks.append(Bullets(record.themes))
    else:
        blocks.append(Text("The agency grouped no comments under a theme."))

    blocks.append(Heading("The agency's responses", level=3, anchor="public-comment-responses"))
    if record.responses:
        blocks.append(
            Table(
                ("Theme", "Comments answered", "Response", "Written"),
                tuple(
                    (
                        Cell(response.theme or "Single comment"),
                        Cell(", ".join(f"#{number}" for number in response.comments)),
                        Cell(response.body),
                        Cell(_written(response)),
                    )
                    for response in record.responses
                ),
                widths=(2.4, 1.6, 6, 1.6),
            )
        )
    else:
        blocks.append(Text("The agency has written no response."))

    blocks.append(Heading("Approved comments", level=3, anchor="public-comment-comments"))
    if record.comments:
        blocks.append(
            Table(
                ("#", "From", "Received", "Comment"),
                tuple(
                    (
                        Cell(f"#{comment.number}"),
                        Cell(comment.name or "Anonymous"),
                        Cell(comment.received_on),
                        Cell(comment.body),
                    )
                    for comment in record.comments
                ),
                widths=(0.8, 2, 1.6, 7),
            )
        )
    else:
        blocks.append(Text("No comment was approved for publication."))

    blocks.append(Heading("Community meetings", level=3, anchor="public-comment-meetings"))
    if record.meetings:
        blocks.append(
            Table(
                ("Date", "Place or link", "Attendance", "Summary", "Materials"),
                tuple(
                    (
                        Cell(meeting.held_on),
                        Cell(meeting.place),
                        Cell(_attendance(meeting.attendance)),
                        Cell(meeting.summary),
                        Cell(meeting.materials or "None"),
                    )
                    for meeting in record.meetings
                ),
                widths=(1.6, 2.6, 1.4, 4.6, 2.2),
            )
        )
    else:
        blocks.append(Text("No community meeting was recorded."))
    return Section(SECTION_ID, SECTION_TITLE, tuple(blocks))


def _written(response: ResponseView) -> str:
    """When the response was written and, as the public page says, when the agency corrected it."""
    if response.corrected_on:
        return f"{response.written_on}, corrected on {response.corrected_on}"
    return response.written_on


def _attendance(attendance: int | None) -> str:
    return "Not recorded" if attendance is None else str(attendance)
