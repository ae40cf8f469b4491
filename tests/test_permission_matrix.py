"""The permission matrix: every write path of tests/permissions.py × every member of the cast:
allowed, 403, sent to login, or answered with nothing done."""

import pytest
from django.db import transaction
from django.test import Client

from governance.demo import load_demo
from tests.permissions import ALLOWED, CAST, FORBIDDEN, LOGIN, PATHS, REFUSED, make_user


def outcome(response, done: bool) -> str:
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return LOGIN
    if response.status_code == 403:
        return FORBIDDEN
    assert response.status_code < 500
    return ALLOWED if done else REFUSED


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """The demo record and a user of each kind, made once for the matrix's many tests, each
    of which runs inside (and rolls back to) this state."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        users = {member: make_user(member) for member in CAST if member != "anonymous"}
        yield users
        transaction.set_rollback(True)


@pytest.mark.parametrize("member", CAST)
@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.name)
def test_each_write_path_lets_only_whom_it_should(cast, db, path, member):
    superuser = Client()
    superuser.force_login(cast["superuser"])
    client = Client()
    if member != "anonymous":
        client.force_login(cast[member])
    response, done = path.attempt(client, superuser)
    assert outcome(response, done) == path.expected[member]
    if path.expected[member] != ALLOWED:
        assert not done
