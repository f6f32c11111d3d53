"""Agencies, accounts and sign-in, on both databases."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from pia.store import (
    AuditEvent,
    InvalidInput,
    NotAllowed,
    accounts,
    authenticate,
    create_agency,
    create_user,
    get_user_by_email,
    list_agencies,
    set_agency_time_zone,
    set_password,
    update_user,
)

PASSWORD = "correct horse battery"


def test_passwords_are_argon2id_hashes_never_the_password(session) -> None:
    agency = create_agency(session, "Agency")
    user = create_user(
        session, email="o@a.example", name="O", role="officer", password=PASSWORD, agency=agency
    )
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_the_default_profile_is_rfc_9106_argon2id(monkeypatch) -> None:
    monkeypatch.setenv("PIA_ARGON2_PROFILE", "default")
    made = accounts.hasher().hash(PASSWORD)
    assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_sign_in_by_email_in_any_case(session) -> None:
    agency = create_agency(session, "Agency")
    user = create_user(
        session,
        email=" Olive@A.Example ",
        name="O",
        role="officer",
        password=PASSWORD,
        agency=agency,
    )
    assert user.email == "olive@a.example"
    assert authenticate(session, "OLIVE@a.example", PASSWORD).id == user.id
    assert authenticate(session, "olive@a.example", PASSWORD + "x") is None


def test_failed_sign_ins_are_recorded_without_saying_which_part_failed(session) -> None:
    create_user(session, email="admin@a.example", name="A", role="admin", password=PASSWORD)
    assert authenticate(session, "nobody@a.example", PASSWORD) is None
    assert authenticate(session, "admin@a.example", "wrong password") is None
    assert authenticate(session, "", "") is None
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "signin.failed"))
    reasons = sorted(event.detail["reason"] for event in events)
    assert reasons == ["password", "unknown-email", "unknown-email"]


def test_an_unknown_email_still_costs_a_hash_verification(session, monkeypatch) -> None:
    verified: list[str] = []
    original = PasswordHasher.verify

    def counting(self, hash, password):
        verified.append(hash)
        return original(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    assert authenticate(session, "nobody@a.example", PASSWORD) is None
    assert len(verified) == 1 and verified[0].startswith("$argon2id$")


def test_deactivated_accounts_cannot_sign_in(session) -> None:
    admin = create_user(session, email="admin@a.example", name="A", role="admin", password=PASSWORD)
    other = create_user(session, email="r@a.example", name="R", role="reviewer", password=PASSWORD)
    update_user(session, other, admin, active=False)
    assert authenticate(session, "r@a.example", PASSWORD) is None


def test_an_outdated_hash_is_upgraded_at_sign_in(session) -> None:
    user = create_user(session, email="admin@a.example", name="A", role="admin", password=PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    user.password_hash = weak.hash(PASSWORD)
    session.commit()
    assert authenticate(session, "admin@a.example", PASSWORD) is not None
    session.expire_all()
    upgraded = get_user_by_email(session, "admin@a.example").password_hash
    assert "m=256," not in upgraded
    assert accounts.hasher().verify(upgraded, PASSWORD)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"name": "  "}, "name"),
        ({"role": "superuser"}, "role"),
        ({"role": "officer", "agency": None}, "agency"),
        ({"role": "admin", "agency": "AGENCY"}, "agency"),
        ({"role": "officer", "agency": "AGENCY", "remit": "AGENCY"}, "remit"),
        ({"password": "short"}, "password"),
    ],
)
def test_bad_accounts_are_refused(session, fields, field) -> None:
    agency = create_agency(session, "Agency")
    values = {
        "email": "new@a.example",
        "name": "New",
        "role": "reviewer",
        "password": PASSWORD,
        **fields,
    }
    if values.get("agency") == "AGENCY":
        values["agency"] = agency
    if values.get("remit") == "AGENCY":
        values["remit"] = [agency]
    with pytest.raises(InvalidInput) as caught:
        create_user(session, **values)
    assert caught.value.field == field
    assert get_user_by_email(session, "new@a.example") is None


def test_emails_and_agency_names_are_unique(session) -> None:
    create_agency(session, "Example County Sheriff")
    with pytest.raises(InvalidInput, match="already exists"):
        create_agency(session, "example  county sheriff")
    create_user(session, email="a@a.example", name="A", role="admin", password=PASSWORD)
    with pytest.raises(InvalidInput, match="already exists"):
        create_user(session, email="A@A.example", name="B", role="admin", password=PASSWORD)
    assert [a.name for a in list_agencies(session)] == ["Example County Sheriff"]


def test_role_changes_keep_agency_and_remit_consistent(session) -> None:
    one, two = create_agency(session, "One"), create_agency(session, "Two")
    admin = create_user(session, email="admin@a.example", name="A", role="admin", password=PASSWORD)
    user = create_user(
        session, email="r@a.example", name="R", role="reviewer", password=PASSWORD, remit=[one, two]
    )
    assert user.remit_ids == {one.id, two.id}
    update_user(session, user, admin, remit=[two])
    assert user.remit_ids == {two.id}
    update_user(session, user, admin, role="officer", agency=one)
    session.expire_all()
    user = get_user_by_email(session, "r@a.example")
    assert (user.role, user.agency_id, user.remit) == ("officer", one.id, [])
    with pytest.raises(InvalidInput):
        update_user(session, user, admin, agency=None)
    changes = [
        e.detail["changes"]
        for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "user.updated"))
    ]
    assert changes[-1] == {"role": "officer", "agency": "One", "remit": []}


def test_an_admin_cannot_lock_themselves_out(session) -> None:
    admin = create_user(session, email="admin@a.example", name="A", role="admin", password=PASSWORD)
    with pytest.raises(NotAllowed):
        update_user(session, admin, admin, active=False)
    with pytest.raises(NotAllowed):
        update_user(session, admin, admin, role="reviewer")
    assert get_user_by_email(session, "admin@a.example").active


def test_set_password(session) -> None:
    user = create_user(session, email="admin@a.example", name="A", role="admin", password=PASSWORD)
    set_password(session, user, "a brand new passphrase")
    assert authenticate(session, "admin@a.example", PASSWORD) is None
    assert authenticate(session, "admin@a.example", "a brand new passphrase") is not None


def test_the_default_dummy_hash_costs_what_a_real_one_costs(monkeypatch) -> None:
    monkeypatch.setenv("PIA_ARGON2_PROFILE", "default")
    real = accounts.hasher().hash(PASSWORD)
    dummy = accounts.DEFAULT_PROFILE_DUMMY_HASH
    assert real.split("$")[:4] == dummy.split("$")[:4]  # same algorithm, version and costs
    assert not accounts.hasher().check_needs_rehash(dummy)


def test_an_agency_time_zone_is_an_iana_name(session) -> None:
    agency = create_agency(session, "Zoned County")
    assert agency.time_zone == "UTC"  # the default until the agency's admin sets one
    set_agency_time_zone(session, agency, " Europe/Berlin ")
    session.expire_all()
    assert session.get(type(agency), agency.id).time_zone == "Europe/Berlin"
    with pytest.raises(InvalidInput, match="not a time zone name") as raised:
        set_agency_time_zone(session, agency, "Central European Time")
    assert raised.value.field == "time_zone"
    session.expire_all()
    assert session.get(type(agency), agency.id).time_zone == "Europe/Berlin"  # unchanged
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "agency.time_zone_set")
    ).all()
    assert [event.detail for event in events] == [{"from": "UTC", "to": "Europe/Berlin"}]
