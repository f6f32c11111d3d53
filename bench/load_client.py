"""The simulated officer of bench/load.py: a keep-alive HTTP client with its own session cookie
that signs in, opens section pages and saves them by posting the page's own form back."""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

PASSWORD = "load-test password 2026"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
LOCK_VERSION = re.compile(r'name="lock_version" type="hidden" value="(\d+)"')


class FormReader(HTMLParser):
    """The first POST form on a page, as a browser would submit it unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.action: str | None = None
        self.fields: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self._in_form = False
        self._done = False
        self._textarea: tuple[str, bool] | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._select_disabled = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._done:
            return
        if (
            tag == "form"
            and a.get("method", "").lower() == "post"
            and "/sections/" in a.get("action", "")
        ):
            self._in_form, self.action = True, a["action"]
            return
        if not self._in_form:
            return
        name, disabled = a.get("name"), "disabled" in a
        if tag == "input" and name and not disabled:
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = (name, disabled), []
        elif tag == "select" and name:
            self._select, self._select_disabled = name, disabled
        elif tag == "option" and self._select and "selected" in a and not self._select_disabled:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            name, disabled = self._textarea
            if not disabled:
                self.fields.append((name, "".join(self._text).removeprefix("\n")))
                if name.endswith("-note"):
                    self.notes.append(name)
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


@dataclass
class Recorder:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.samples[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1
                if len(self.examples) < 5:
                    self.examples.append(f"{kind}: {detail}")


class Officer:
    def __init__(
        self, port: int, email: str, assessment_id: int, sections: list[str], think: float
    ) -> None:
        self.port, self.email = port, email
        self.assessment_id, self.sections = assessment_id, sections
        self.think = think
        self.random = random.Random(assessment_id)  # repeatable pauses per officer
        self.cookie = ""
        self.forms: dict[str, FormReader] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.turn = 0

    def request(
        self, method: str, path: str, body: dict[str, Any] | list[tuple[str, str]] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        payload = None
        if body is not None:
            payload = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect, as browsers do.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        set_cookie = response.getheader("Set-Cookie") or ""
        match = re.search(r"(pia_session=[^;]*)", set_cookie)
        if match:
            self.cookie = match.group(1)
        return response.status, text, {k.lower(): v for k, v in response.getheaders()}

    def sign_in(self) -> None:
        status, page, _ = self.request("GET", "/signin")
        token = CSRF_META.search(page)
        assert status == 200 and token, f"sign-in page: {status}"
        form = {"email": self.email, "password": PASSWORD, "csrf_token": token.group(1)}
        status, _, headers = self.request("POST", "/signin", form)
        assert status == 302 and headers.get("location") == "/", f"sign-in: {status}"

    def timed(self, recorder: Recorder, kind: str, method: str, path: str, body=None, ok=(200,)):
        started = time.perf_counter()
        try:
            status, text, headers = self.request(method, path, body)
        except OSError as error:
            recorder.add(kind, time.perf_counter() - started, False, repr(error))
            return None
        elapsed = time.perf_counter() - started
        good = status in ok
        recorder.add(kind, elapsed, good, f"{method} {path} -> {status} {text[:200]!r}")
        return (status, text, headers) if good else None

    def section_path(self) -> str:
        section = self.sections[self.turn % len(self.sections)]
        self.turn += 1
        return f"/assessments/{self.assessment_id}/sections/{section}"

    def warm_up(self) -> None:
        """Opens every section and the dashboard once, untimed: each worker compiles its
        templates and builds its forms on first use, which is not what a steady state costs;
        the client parses each section's form here too, so that pure-Python parsing in one
        thread does not delay the timing of the others during the timed phases."""
        for _ in self.sections:
            path = self.section_path()
            _, page, _ = self.request("GET", path)
            self.form_of(path, page)
        self.request("GET", "/")
        self.turn = 0

    def healthz(self, recorder: Recorder) -> None:
        self.timed(recorder, "healthz (floor)", "GET", "/healthz")

    def open_section(self, recorder: Recorder, kind: str = "section page") -> None:
        self.timed(recorder, kind, "GET", self.section_path())

    def form_of(self, path: str, page: str) -> FormReader:
        """The section's form, parsed on the first visit only: the load generator shares the
        server's two cores, and parsing every page in pure Python would steal its CPU."""
        if path not in self.forms:
            reader = FormReader()
            reader.feed(page)
            self.forms[path] = reader
        return self.forms[path]

    @staticmethod
    def fresh_fields(reader: FormReader, page: str) -> list[tuple[str, str]]:
        """The cached form's fields with this page's CSRF token and lock version."""
        token = CSRF_META.search(page)
        version = LOCK_VERSION.search(page)
        fresh = {
            "csrf_token": token.group(1) if token else "",
            "lock_version": version.group(1) if version else "",
        }
        return [(n, fresh.get(n, v)) for n, v in reader.fields]

    def stagger(self) -> None:
        """Waits up to one think time before the first request, so that officers start at
        different moments (a phase starting with all twenty at once would measure that burst)."""
        if self.think > 0:
            time.sleep(self.random.uniform(0, self.think))

    def pause(self) -> None:
        if self.think > 0:
            time.sleep(self.random.uniform(0.5 * self.think, 1.5 * self.think))

    def open_and_save(self, recorder: Recorder) -> None:
        if self.turn % 5 == 4:
            self.timed(recorder, "dashboard", "GET", "/")
            self.pause()
        path = self.section_path()
        opened = self.timed(recorder, "section page (workflow)", "GET", path)
        self.pause()
        if opened is None:
            return
        reader = self.form_of(path, opened[1])
        if reader.action is None:
            recorder.add("save", 0.0, False, f"no section form on {path}")
            return
        fields = self.fresh_fields(reader, opened[1])
        if reader.notes:  # one real change per save: a note, which is always valid
            note = reader.notes[self.turn % len(reader.notes)]
            fields = [(n, v) for n, v in fields if n != note]
            fields.append((note, f"Checked with the vendor, round {self.turn}"))
        self.timed(recorder, "save", "POST", reader.action, fields, ok=(302, 303))
        self.pause()
