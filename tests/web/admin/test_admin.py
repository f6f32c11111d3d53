"""Administration pages: agencies, accounts (create, change role and remit, deactivate), bank."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("key", ["officer_a", "reviewer_a"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/agencies", "/admin/users", "/admin/bank"])
def test_only_admins_reach_admin_pages(auth, key: str, path: str) -> None:
    auth.login(key)
    response = auth.client.get(path)
    assert response.status_code == 403
    assert "You are not allowed to do that" in response.get_data(as_text=True)


def test_admin_creates_an_agency(auth, db) -> None:
    from pia.store import list_agencies

    auth.login("admin")
    response = auth.post("/admin/agencies", {"name": "  Harbour   Police  "})
    assert response.status_code == 302
    page = auth.client.get("/admin/agencies").get_data(as_text=True)
    assert "Agency “Harbour Police” created." in page
    assert "Harbour Police" in [a.name for a in list_agencies(db)]


def test_duplicate_agency_is_an_error_beside_the_field(auth, db) -> None:
    from pia.store import list_agencies

    auth.login("admin")
    response = auth.post("/admin/agencies", {"name": "agency a"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#name"' in html and 'id="name-error"' in html
    assert len(list_agencies(db)) == 2


def test_admin_creates_an_officer_who_can_sign_in(auth, people) -> None:
    auth.login("admin")
    response = auth.post(
        "/admin/users",
        {
            "email": "New.Officer@Example.gov",
            "name": "New Officer",
            "role": "officer",
            "agency": str(people.agencies["b"]),
            "password": "a long enough password",
        },
    )
    assert response.status_code == 302
    html = auth.client.get("/admin/users").get_data(as_text=True)
    assert "Account for new.officer@example.gov created." in html
    auth.logout()
    signin = auth.client.post(
        "/signin",
        data={
            "email": "new.officer@example.gov",
            "password": "a long enough password",
            "csrf_token": auth.csrf_token(),
        },
    )
    assert signin.status_code == 302 and signin.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"role": "officer", "agency": ""}, "agency", "An officer must belong to an agency."),
        ({"password": "short"}, "password", "The password is too short"),
        ({"email": "officer_a@example.gov"}, "email", "already exists"),
        ({"email": "not-an-email"}, "email", "is not an email address"),
        ({"role": "superuser"}, "role", "Not a valid choice"),
    ],
)
def test_bad_new_account_shows_the_error_beside_its_field(
    auth, people, db, form: dict, field: str, message: str
) -> None:
    from pia.store import list_users

    auth.login("admin")
    data = {
        "email": "someone@example.gov",
        "name": "Someone",
        "role": "officer",
        "agency": str(people.agencies["a"]),
        "password": "a long enough password",
        **form,
    }
    response = auth.post("/admin/users", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert f'href="#{field}"' in html
    assert len(list_users(db)) == 5
    assert "a long enough password" not in html  # passwords are never echoed back


def test_admin_changes_a_reviewers_remit(auth, people, db) -> None:
    from pia.store import get_user

    auth.login("admin")
    user_id = people["reviewer_a"].id
    page = auth.client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert 'value="reviewer" checked' in page or 'checked id="role-1"' in page or "checked" in page
    response = auth.post(
        f"/admin/users/{user_id}",
        {
            "name": "Reviewer A",
            "role": "reviewer",
            "agency": "",
            "remit": [str(people.agencies["a"]), str(people.agencies["b"])],
            "active": "y",
        },
    )
    assert response.status_code == 302
    db.expire_all()
    assert get_user(db, user_id).remit_ids == set(people.agencies.values())


def test_admin_changes_a_role(auth, people, db) -> None:
    from pia.store import get_user

    auth.login("admin")
    user_id = people["officer_b"].id
    response = auth.post(
        f"/admin/users/{user_id}",
        {
            "name": "Officer B",
            "role": "reviewer",
            "remit": [str(people.agencies["b"])],
            "active": "y",
        },
    )
    assert response.status_code == 302
    db.expire_all()
    user = get_user(db, user_id)
    assert (user.role, user.agency_id, user.remit_ids) == ("reviewer", None, {people.agencies["b"]})


def test_admin_cannot_remove_their_own_access(auth, people, db) -> None:
    from pia.store import get_user

    auth.login("admin")
    admin_id = people["admin"].id
    response = auth.post(f"/admin/users/{admin_id}/deactivate", follow_redirects=True)
    assert "cannot remove your own administrator access" in response.get_data(as_text=True)
    db.expire_all()
    assert get_user(db, admin_id).active


def test_deactivated_user_cannot_sign_in(auth, people, db) -> None:
    from pia.store import get_user

    auth.login("admin")
    response = auth.post(f"/admin/users/{people['officer_a'].id}/deactivate")
    assert response.status_code == 302
    db.expire_all()
    assert not get_user(db, people["officer_a"].id).active
    auth.logout()
    assert auth.login("officer_a").status_code == 401


def test_edit_unknown_user_is_404(auth) -> None:
    auth.login("admin")
    assert auth.client.get("/admin/users/999999").status_code == 404
    assert auth.post("/admin/users/999999/deactivate").status_code == 404


def test_bank_page_shows_sections_counts_rules_profiles_version_and_digest(auth, bank) -> None:
    auth.login("admin")
    html = auth.client.get("/admin/bank").get_data(as_text=True)
    assert bank.version in html and bank.id in html
    assert (bank.digest or "not computed") in html
    for section in bank.sections:
        assert f"<code>{section.id}</code>" in html
        count = sum(1 for q in bank.questions.values() if q.section == section.id)
        assert f"<td><code>{section.id}</code></td><td>{count}</td>" in html
    for rule_id in bank.rules:
        assert f"<code>{rule_id}</code>" in html
    for profile in bank.profiles.values():
        assert f"<td><code>{profile.id}</code></td><td>{len(profile.elements)}</td>" in html


@pytest.mark.parametrize(
    "tampered",
    [
        {"agency": "abc"},
        {"agency": "999999"},
        {"role": "reviewer", "remit": ["999999"]},
        {"role": "reviewer", "remit": ["x"]},
        {"name": "x" * 500},
    ],
)
def test_tampered_account_form_is_a_clear_400(auth, people, db, tampered: dict) -> None:
    from pia.store import list_users

    auth.login("admin")
    data = {
        "email": "someone@example.gov",
        "name": "Someone",
        "role": "officer",
        "agency": str(people.agencies["a"]),
        "password": "a long enough password",
        **tampered,
    }
    response = auth.post("/admin/users", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert len(list_users(db)) == 5


def test_the_account_list_is_paginated_in_a_fixed_number_of_queries(app, auth, people, db) -> None:
    from sqlalchemy import event

    from pia.store import create_user, get_agency
    from pia.web.shared.db import get_engine

    def rows(html: str) -> list[str]:
        return re.findall(r"<td>([^<]*@[^<]*)</td>", html)

    def statements_for(url: str) -> tuple[str, int]:
        seen: list[str] = []
        with app.app_context():
            engine = get_engine()

        def record(*args) -> None:
            seen.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        try:
            response = auth.client.get(url)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert response.status_code == 200
        return response.get_data(as_text=True), len(seen)

    auth.login("admin")
    first, few = statements_for("/admin/users")
    assert len(rows(first)) == 5 and "Page 1 of" not in first
    agency = get_agency(db, people.agencies["a"])
    for number in range(60):
        create_user(
            db,
            email=f"officer{number:02d}@bulk.example.gov",
            name=f"Officer {number}",
            role="officer",
            password="a long enough password",
            agency=agency,
        )
    first, many = statements_for("/admin/users")
    assert many == few  # does not grow with the number of accounts
    assert "65 accounts, 50 to a page." in first
    assert "Page 1 of 2" in first and 'href="/admin/users?page=2"' in first
    second, _ = statements_for("/admin/users?page=2")
    assert len(rows(first)) == 50 and len(rows(second)) == 15
    assert not set(rows(first)) & set(rows(second))
    assert "Page 2 of 2" in second and 'href="/admin/users?page=1"' in second
    for junk in ("0", "-3", "abc"):
        assert "Page 1 of 2" in statements_for(f"/admin/users?page={junk}")[0]
    assert "Page 2 of 2" in statements_for("/admin/users?page=99999999999999999999")[0]


def test_admin_sets_agency_time_zones(auth, db, people) -> None:
    from pia.store import get_agency, list_agencies

    auth.login("admin")
    response = auth.post("/admin/agencies", {"name": "Berlin Police", "time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    zones = {agency.name: agency.time_zone for agency in list_agencies(db)}
    assert zones["Berlin Police"] == "Europe/Berlin" and zones["Agency A"] == "UTC"

    bad = auth.post("/admin/agencies", {"name": "Nowhere Police", "time_zone": "Central Time"})
    assert bad.status_code == 400
    assert "Enter a time zone name such as Europe/Berlin" in bad.get_data(as_text=True)
    assert "Nowhere Police" not in [agency.name for agency in list_agencies(db)]

    agency_a = people.agencies["a"]
    response = auth.post(
        "/admin/agencies/time-zone", {"tz-agency": agency_a, "tz-zone": "Asia/Tokyo"}
    )
    assert response.status_code == 302
    db.expire_all()
    assert get_agency(db, agency_a).time_zone == "Asia/Tokyo"
    page = auth.client.get("/admin/agencies").get_data(as_text=True)
    assert "now shows times in Asia/Tokyo" in page and "<td>Asia/Tokyo</td>" in page
    wrong = auth.post("/admin/agencies/time-zone", {"tz-agency": agency_a, "tz-zone": "Tokyo"})
    assert wrong.status_code == 400
    assert "Enter a time zone name" in wrong.get_data(as_text=True)


def test_only_admins_set_time_zones(auth, people) -> None:
    auth.login("officer_a")
    response = auth.post(
        "/admin/agencies/time-zone", {"tz-agency": people.agencies["a"], "tz-zone": "UTC"}
    )
    assert response.status_code in (403, 404)
