"""What a browser would submit from a page's form, read from the HTML with the standard library.

Follows the HTML rules that matter here: disabled controls are not sent, unchecked boxes and radios
are not sent, a textarea drops the line break right after its start tag, a select sends its selected
option (or its first), controls that name another form with form="..." belong to that form, and
buttons and file inputs are left out (the tests add a button's name themselves).
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: tuple[str | None, bool, list[str]] | None = None

    def _ours(self, attrs: dict[str, str | None]) -> bool:
        owner = attrs.get("form")
        if owner is not None:
            return owner == self.form_id
        return self.inside

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
            return
        if not self._ours(attrs) and tag != "option":
            return
        name = attrs.get("name")
        disabled = "disabled" in attrs
        if tag == "input" and name and not disabled:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.pairs.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name and not disabled:
            self._textarea = (name, [])
        elif tag == "select" and name and not disabled:
            self._select = (name, [])
        elif tag == "option" and self._select is not None:
            self._option = (attrs.get("value"), "selected" in attrs, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self.pairs.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected, parts = self._option
            self._select[1].append((value if value is not None else "".join(parts), selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            name, options = self._select
            chosen = [value for value, selected in options if selected] or [options[0][0]]
            self.pairs.append((name, chosen[0]))
            self._select = None


def submitted_pairs(html: str, form_id: str) -> list[tuple[str, str]]:
    """The (name, value) pairs the form with this id would send, in document order."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    return reader.pairs


def as_post_data(pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """The pairs as a dict for Flask's test client (repeated names become lists)."""
    data: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if name in data:
            existing = data[name]
            data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            data[name] = value
    return data
