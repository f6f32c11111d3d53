"""The dashboard's search, filters (status, level) and order, kept across its pages."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import update

from pia.store.models import Assessment


def titles(html: str) -> list[str]:
    return re.findall(r'<td><a href="/assessments/\d+">(?:<bdi>)?([^<]+)(?:</bdi>)?</a></td>', html)


def test_search_matches_title_vendor_or_product_literally(auth: Any, make_assessment: Any) -> None:
    make_assessment(title="Harbour pilot", vendor="Acme Vision")
    make_assessment(title="Library entrance", vendor="Other Corp", product="GateKeeper")
    make_assessment(title="100% coverage trial", vendor="Acme Vision")
    auth.login("officer_a")
    get = auth.client.get
    assert sorted(titles(get("/?q=acme").get_data(as_text=True))) == [
        "100% coverage trial",
        "Harbour pilot",
    ]
    assert titles(get("/?q=gatekeeper").get_data(as_text=True)) == ["Library entrance"]
    # % is a character to find, not a wildcard
    assert titles(get("/?q=%25").get_data(as_text=True)) == ["100% coverage trial"]
    html = get("/?q=nothing+like+this").get_data(as_text=True)
    assert "No assessments match this search." in html
    assert "There are no assessments yet" not in html


def test_filters_by_status_and_level_and_sorts(
    auth: Any, db: Any, make_assessment: Any, submit_assessment: Any, complete_answers: Any
) -> None:
    submitted = make_assessment(title="B submitted", answers=complete_answers)
    submit_assessment(submitted)
    high = make_assessment(title="C draft high")
    make_assessment(title="A draft low")
    db.execute(update(Assessment).values(overall_level="Low"))
    db.execute(update(Assessment).where(Assessment.id == high).values(overall_level="High"))
    db.commit()
    auth.login("officer_a")
    get = auth.client.get
    assert titles(get("/?status=submitted").get_data(as_text=True)) == ["B submitted"]
    drafts = titles(get("/?status=draft&sort=title").get_data(as_text=True))
    assert drafts == ["A draft low", "C draft high"]
    assert titles(get("/?level=High").get_data(as_text=True)) == ["C draft high"]
    assert titles(get("/?sort=title").get_data(as_text=True)) == [
        "A draft low",
        "B submitted",
        "C draft high",
    ]
    assert titles(get("/?sort=created").get_data(as_text=True))[0] == "A draft low"
    # unknown values are ignored; control characters are refused with a message; never a 500
    for junk in ("status=nonsense&sort=nonsense", "level=Nope"):
        assert get(f"/?{junk}").status_code == 200, junk
    for junk in ("level=%00", "q=%00a%01"):
        assert get(f"/?{junk}").status_code == 400, junk
    html = get("/?status=draft").get_data(as_text=True)
    assert '<option value="draft" selected>Draft</option>' in html
    assert "2 assessments match" in html


def test_pages_keep_the_search(app: Any, auth: Any, make_assessment: Any) -> None:
    app.config["PIA_PAGE_SIZE"] = 2
    for number in range(5):
        make_assessment(title=f"Match {number}")
    make_assessment(title="Elsewhere")
    auth.login("officer_a")
    html = auth.client.get("/?q=match&sort=title").get_data(as_text=True)
    assert titles(html) == ["Match 0", "Match 1"]
    assert "Page 1 of 3" in html
    next_link = re.search(r'<a href="([^"]+)" rel="next">', html)
    assert next_link
    second = auth.client.get(next_link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert titles(second) == ["Match 2", "Match 3"]
