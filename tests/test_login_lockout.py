"""The admin login locks after repeated wrong passwords (django-axes)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("clerk", password="right-pass", is_staff=True)


def log_in(client, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": "clerk", "password": password}, REMOTE_ADDR=address)


def test_the_right_password_logs_in(client, staff):
    response = log_in(client, "right-pass")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_after_the_limit_of_wrong_passwords_the_right_one_is_refused(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong").status_code == 200  # the form, saying so
    assert log_in(client, "wrong").status_code == 429  # the last one allowed locks
    response = log_in(client, "right-pass")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Login locked" in page and "even with the right password" in page
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_one_wrong_password_short_of_the_limit_still_logs_in(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong")
    assert log_in(client, "right-pass").status_code == 302


def test_the_lock_holds_for_that_user_from_that_address_only(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")
    # Guessing at someone's name from elsewhere does not lock them out.
    assert log_in(client, "right-pass", address="10.0.0.2").status_code == 302


def test_axes_reset_lifts_the_lock(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")
    call_command("axes_reset", verbosity=0)
    assert log_in(client, "right-pass").status_code == 302
