"""Admin logins are throttled (django-axes): after 10 failures for one user name or from one
address, logging in is refused, even with the right password, until the cool-off has passed or
an operator unlocks it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory, override_settings

from kb.core.addresses import client_ip

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "right-pass-8472"
ATTACKER = "203.0.113.7"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every attempt checks a password: the production hasher would make this module slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


@pytest.fixture
def colleague(django_user_model):
    return django_user_model.objects.create_user("colleague", password=PASSWORD, is_staff=True)


def log_in(client: Client, username: str, password: str, address: str = ATTACKER, **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **extra,
    )


def fail(client: Client, username: str, times: int, address: str = ATTACKER):
    return [log_in(client, username, "wrong", address).status_code for _ in range(times)]


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limit_is_ten_failures_with_a_fifteen_minute_cool_off():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_nine_failures_still_let_the_right_password_in(client, editor):
    assert fail(client, "editor", 9) == [200] * 9  # the login form again, with its error
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert is_logged_in(client)


def test_after_ten_failures_the_right_password_is_refused(client, editor):
    assert fail(client, "editor", 10) == [200] * 9 + [429]
    response = log_in(client, "editor", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "logging in is refused for 15 minutes" in response.content.decode()
    assert "sessionid" not in response.cookies
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "la connexion est refusée pendant 15 minutes"),
        ("it", "l’accesso è bloccato per 15 minuti"),
        ("en", "logging in is refused for 15 minutes"),
    ],
)
def test_the_refusal_is_in_the_visitors_language(client, editor, language, message):
    fail(client, "editor", 10)
    response = log_in(client, "editor", PASSWORD, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 429
    assert message in html
    assert f'<html lang="{language}"' in html


def test_the_lockout_follows_the_user_name_to_another_address(client, editor):
    fail(client, "editor", 10)
    response = log_in(Client(), "editor", PASSWORD, address="198.51.100.20")
    assert response.status_code == 429


def test_the_lockout_follows_the_address_to_another_user_name(client, editor, colleague):
    fail(client, "someone-else", 10)
    response = log_in(client, "colleague", PASSWORD)
    assert response.status_code == 429


def test_another_user_from_another_address_is_unaffected(client, editor, colleague):
    fail(client, "editor", 10)
    other = Client()
    response = log_in(other, "colleague", PASSWORD, address="198.51.100.20")
    assert response.status_code == 302
    assert is_logged_in(other)


def test_the_cool_off_ends_the_lockout(client, editor):
    from axes.models import AccessAttempt

    fail(client, "editor", 10)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_attempts_during_the_lockout_restart_the_cool_off(client, editor):
    from axes.models import AccessAttempt

    def minutes_pass(minutes: int) -> None:
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))

    fail(client, "editor", 10)
    minutes_pass(10)
    fail(client, "editor", 1)  # refused, and the wait starts again
    minutes_pass(10)  # 20 minutes after the lockout, 10 after the last attempt
    # Refused, and that attempt too starts the wait again, right password or not.
    assert log_in(client, "editor", PASSWORD).status_code == 429
    minutes_pass(16)
    assert log_in(client, "editor", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("command", "argument"),
    [("axes_reset_username", "editor"), ("axes_reset_ip", ATTACKER), ("axes_reset", None)],
)
def test_an_operator_unlocks_with_a_command(client, editor, command, argument):
    fail(client, "editor", 10)
    call_command(command, *([argument] if argument else []), stdout=StringIO())
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_force_login_in_other_tests_is_not_counted(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


# --- The address a login comes from ----------------------------------------------------------


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post(LOGIN, **extra)


def test_without_a_proxy_the_forwarded_header_is_ignored():
    assert client_ip(request_from("192.0.2.1", "203.0.113.9")) == "192.0.2.1"


@override_settings(PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_used_whatever_the_client_wrote():
    assert client_ip(request_from("10.0.0.2", "203.0.113.9")) == "203.0.113.9"
    assert client_ip(request_from("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


@override_settings(PROXY_COUNT=2)
def test_behind_two_proxies_the_outer_ones_view_is_used():
    assert client_ip(request_from("10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"
    # A request that reached the site without both proxies: the direct address.
    assert client_ip(request_from("192.0.2.1", "203.0.113.9")) == "192.0.2.1"


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_spoofed_addresses_do_not_escape_the_lockout(client, editor):
    for spoofed in range(10):
        log_in(
            client,
            "nobody",
            "wrong",
            address="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{spoofed}, 203.0.113.9",
        )
    response = log_in(
        client, "colleague", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert response.status_code == 429
    # Another visitor behind the same proxy is not locked out with it.
    other = log_in(
        Client(), "editor", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.5"
    )
    assert other.status_code == 302
