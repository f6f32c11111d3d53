"""Form fields more than one feature uses."""

from __future__ import annotations

from wtforms import SelectMultipleField, widgets


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (rendered in a fieldset with a legend)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
