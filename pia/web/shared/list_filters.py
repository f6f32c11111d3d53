"""The search, filters and order of the assessment lists (the officer's dashboard and the
reviewer's list): a GET form, so nothing changes and there is no CSRF token.

Unknown choices are ignored like a junk page number; a due date that is not a date is refused
with a message beside the field (the list is then shown without it, with status 400).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from wtforms import DateField, Form, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from pia.store import AssessmentFilter
from pia.store.models import STATUS_LABELS, STATUSES
from pia.web.shared.config import get_bank

SHORT_TEXT = 200
DASHBOARD_SORTS = (
    SelectChoice("updated", "Most recently changed"),
    SelectChoice("created", "Most recently created"),
    SelectChoice("title", "Title, A to Z"),
)
REVIEW_SORTS = (
    SelectChoice("submitted", "Most recently submitted"),
    SelectChoice("updated", "Most recently changed"),
    SelectChoice("title", "Title, A to Z"),
)


class AssessmentFilterForm(Form):
    q = StringField("Search", validators=[Length(max=SHORT_TEXT)])
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "Any status")]
        + [SelectChoice(s, STATUS_LABELS[s]) for s in STATUSES],
        validate_choice=False,
    )
    level = SelectField("Overall level", validate_choice=False)
    agency = SelectField("Agency", validate_choice=False)
    due = SelectField(
        "Due",
        choices=[
            SelectChoice("", "Anything or nothing due"),
            SelectChoice("overdue", "Something overdue"),
        ],
        validate_choice=False,
    )
    due_before = DateField(
        "Due before",
        validators=[Optional()],
        description="A condition, action-plan item or review date due before this day and "
        "not yet done.",
    )
    archived = SelectField(
        "Archived",
        choices=[
            SelectChoice("", "Not archived"),
            SelectChoice("only", "Archived only"),
            SelectChoice("include", "Archived or not"),
        ],
        validate_choice=False,
    )
    sort = SelectField("Order", validate_choice=False)

    def __init__(
        self,
        *args: object,
        sorts: Iterable[SelectChoice] = DASHBOARD_SORTS,
        agencies: Iterable[tuple[int, str]] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        levels = [SelectChoice(level, level) for level in get_bank().levels]
        self.level.choices = [SelectChoice("", "Any level"), *levels]
        self.sort.choices = list(sorts)
        self.agency_choices = [(str(agency_id), name) for agency_id, name in agencies]
        self.agency.choices = [SelectChoice("", "Any agency")] + [
            SelectChoice(value, name) for value, name in self.agency_choices
        ]

    @property
    def default_sort(self) -> str:
        return str(self.sort.choices[0].value)  # type: ignore[index]

    @property
    def shows_agencies(self) -> bool:
        """Only a list that spans several agencies offers the agency filter."""
        return len(self.agency_choices) > 1

    def select_fields(self) -> list[SelectField]:
        fields = [self.status, self.level]
        if self.shows_agencies:
            fields.append(self.agency)
        return [*fields, self.due, self.archived, self.sort]

    def order_label(self) -> str:
        labels = {choice.value: choice.label for choice in self.sort.choices}  # type: ignore[union-attr]
        return str(labels.get(self.sort.data or "", labels[self.default_sort]))

    def _agency_id(self) -> int | None:
        known = {value for value, _ in self.agency_choices}
        value = self.agency.data or ""
        return int(value) if value in known else None

    def _due_before(self) -> date | None:
        return self.due_before.data if not self.due_before.errors else None

    def to_filter(self) -> AssessmentFilter:
        return AssessmentFilter(
            text=(self.q.data or "")[:SHORT_TEXT],
            status=self.status.data or "",
            level=self.level.data if self.level.data in get_bank().levels else "",
            sort=self.sort.data or self.default_sort,
            agency_id=self._agency_id(),
            overdue=self.due.data == "overdue",
            due_before=self._due_before(),
            archived=self.archived.data or "",
        )

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for the page links (empty ones left out)."""
        due_before = self._due_before()
        values = {
            "q": self.q.data,
            "status": self.status.data,
            "level": self.level.data,
            "agency": str(self._agency_id() or ""),
            "due": self.due.data,
            "due_before": due_before.isoformat() if due_before else "",
            "archived": self.archived.data,
        }
        if self.sort.data and self.sort.data != self.default_sort:
            values["sort"] = self.sort.data
        return {k: v for k, v in values.items() if v}
