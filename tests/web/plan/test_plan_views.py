"""The action plan page: the engine's items, what-if, adopting with owner and due date, done."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

from pia.engine import action_plan, read_answers_file

EXAMPLE = Path(__file__).resolve().parents[3] / "questions/examples/sheriff_face_search_pilot.yaml"


@pytest.fixture
def pilot(make_assessment, bank) -> tuple[int, object]:
    document = read_answers_file(EXAMPLE)
    assessment = make_assessment(
        "officer_a", answers=document.answers, profiles=list(document.profiles)
    )
    return assessment, action_plan(bank, document.answers, document.profiles)


def test_the_page_lists_the_plan_best_first(auth, client, pilot) -> None:
    assessment, plan = pilot
    auth.login("officer_a")
    page = client.get(f"/assessments/{assessment}/plan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    positions = [html.index(f'value="{item.id}"') for item in plan.items]
    assert positions == sorted(positions)
    assert 'Overall level now: <strong class="level' in html and plan.overall in html
    assert html.count(">Adopt</button>") == len(plan.items)


def test_what_if_shows_the_level_of_items_together(auth, client, pilot, bank) -> None:
    assessment, plan = pilot
    from pia.engine import what_if

    chosen = [item.id for item in plan.items[:3]]
    document = read_answers_file(EXAMPLE)
    expected = what_if(bank, document.answers, document.profiles, chosen).evaluation.overall.level
    auth.login("officer_a")
    query = "&".join(f"item={item}" for item in chosen)
    html = client.get(f"/assessments/{assessment}/plan?{query}").get_data(as_text=True)
    combined = re.search(r'id="what-if".*?</div>', html, re.S).group(0)
    assert "the 3 chosen item(s) would reach" in combined and expected in combined
    bad = client.get(f"/assessments/{assessment}/plan?item=safeguard:none.such")
    assert bad.status_code == 400 and "cannot be combined" in bad.get_data(as_text=True)


def test_adopt_then_mark_done(auth, client, pilot) -> None:
    assessment, plan = pilot
    item = plan.items[0]
    auth.login("officer_a")
    response = auth.post(
        f"/assessments/{assessment}/plan/adopt",
        {"item_id": item.id, "owner": "Deputy Chief Ana Ruiz", "due": "2027-03-31"},
    )
    assert response.status_code == 303
    html = client.get(f"/assessments/{assessment}/plan").get_data(as_text=True)
    adopted = html[html.index('id="adopted"') : html.index('id="items-title"')]
    assert (
        str(escape(item.text)) in adopted
        and "Deputy Chief Ana Ruiz" in adopted
        and "2027-03-31" in adopted
    )
    assert "Mark done" in adopted
    plan_item_id = re.search(r'id="adopted-(\d+)"', adopted).group(1)
    done = auth.post(f"/assessments/{assessment}/plan/{plan_item_id}/done")
    assert done.status_code == 303
    html = client.get(f"/assessments/{assessment}/plan").get_data(as_text=True)
    adopted = html[html.index('id="adopted"') : html.index('id="items-title"')]
    assert "Mark done" not in adopted and "Done " in adopted


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"owner": "", "due": "2027-03-31"}, "Name who will carry it out."),
        ({"owner": "A", "due": "31/03/2027"}, "Give the due date as YYYY-MM-DD."),
        (
            {"owner": "A", "due": "2027-03-31", "item_id": "safeguard:gone.away"},
            "no longer in the plan",
        ),
    ],
)
def test_bad_input_is_a_400_page_that_says_why(auth, client, pilot, form, message) -> None:
    assessment, plan = pilot
    auth.login("officer_a")
    data = {"item_id": plan.items[0].id, **form}
    response = auth.post(f"/assessments/{assessment}/plan/adopt", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    html = client.get(f"/assessments/{assessment}/plan").get_data(as_text=True)
    assert "No item adopted yet." in html


def test_another_agency_cannot_see_or_adopt(auth, client, pilot) -> None:
    assessment, plan = pilot
    auth.login("officer_b")
    assert client.get(f"/assessments/{assessment}/plan").status_code == 404
    response = auth.post(
        f"/assessments/{assessment}/plan/adopt",
        {"item_id": plan.items[0].id, "owner": "X", "due": "2027-01-01"},
    )
    assert response.status_code == 404


def test_the_wizard_risk_panel_shows_what_would_lower_the_risk(auth, client, pilot, bank) -> None:
    assessment, plan = pilot
    auth.login("officer_a")
    section = bank.sections[0].id
    html = client.get(f"/assessments/{assessment}/sections/{section}").get_data(as_text=True)
    panel = html[html.index("What would lower the risk") :]
    best = [item for item in plan.items if item.lowers][:3]
    for item in best:
        assert str(escape(item.text)) in panel
    assert f"/assessments/{assessment}/plan" in panel
