"""Password and sign-in rules: NCSC-style length limits and deny list, and safe `next` links.

Pure functions: no app, no database. Messages are lazy strings, so they are compared as str().
"""

from __future__ import annotations

import pytest

from app.auth.rules import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    normalise_email,
    password_problem,
    safe_next_url,
)

PASSPHRASE_SOURCE = "kettle forest lamp river stone " * 40


def passphrase(length: int) -> str:
    """An uncommon password of exactly `length` characters."""
    text = PASSPHRASE_SOURCE[:length]
    assert len(text) == length
    return text


def problem(password: str, **kwargs: str) -> str | None:
    result = password_problem(password, **kwargs)
    return None if result is None else str(result)


def test_the_limits_are_ten_and_two_hundred_and_fifty_six_characters():
    assert (MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH) == (10, 256)


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (0, "Password must be 10 characters or more"),
        (9, "Password must be 10 characters or more"),
        (10, None),
        (11, None),
        (255, None),
        (256, None),
        (257, "Password must be 256 characters or fewer"),
        (1000, "Password must be 256 characters or fewer"),
    ],
)
def test_password_length_boundaries(length, expected):
    assert problem(passphrase(length)) == expected


@pytest.mark.parametrize(
    "password",
    [
        "password123",
        "PASSWORD123",
        "Password123",
        "1234567890",
        "qwertyuiop",
        "QwErTyUiOp",
        "iloveyou12",
        "football123",
        "Manchester",
        "LIVERPOOL1",
    ],
)
def test_common_passwords_are_refused_whatever_their_case(password):
    assert problem(password) == (
        "This password is too common. Try three random words, like ‘kettle forest lamp’"
    )


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "ababababab", "AbAbAbAbAbAb", "1111122222"])
def test_passwords_of_one_or_two_repeated_characters_are_refused_as_common(password):
    assert problem(password) is not None
    assert "too common" in problem(password)


@pytest.mark.parametrize(
    ("password", "email", "name"),
    [
        ("jane.smith rocks here", "jane.smith@example.org", ""),  # the email's local part
        ("JANE.SMITH@EXAMPLE.ORG!", "jane.smith@example.org", ""),  # the whole email
        ("xx Jane.Smith yy zz", "Jane.Smith@Example.org", ""),  # case of the email ignored
        ("i am jane smithson ok", "", "Jane Smithson"),  # the full name, any case
        ("SMITHSONjanesmithson", "", "smithson"),
    ],
)
def test_a_password_containing_the_persons_name_or_email_is_refused(password, email, name):
    assert problem(password, email=email, name=name) == (
        "Password must not contain your name or email address"
    )


def test_very_short_names_are_not_treated_as_personal_information():
    # A name like "Jo" is inside too many good passwords to refuse them all.
    assert problem("jo kettle forest lamp", name="Jo") is None


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "kettle forest lamp",
        "Three Random Words Are Easy To Remember And Hard To Guess 2009",
        passphrase(MAX_PASSWORD_LENGTH),
    ],
)
def test_a_long_passphrase_is_accepted_without_composition_rules(password):
    assert password_problem(password, email="jane@example.org", name="Jane Smith") is None


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.com",
        "//evil.com/accounts",
        "///evil.com",
        "https://evil.com/x",
        "http://localhost/accounts",  # even our own host: only paths are accepted
        "javascript:alert(1)",
        "evil.com",
        "accounts",
        "/\\evil.com",
        "\\\\evil.com",
        "/accounts\\..\\evil",
        "/\tevil.com",
        "/\nLocation: https://evil.com",
        "/accounts\r\nSet-Cookie: x=1",
        "/\x00evil",
        "/\x1fevil",
    ],
)
def test_safe_next_url_refuses_anything_that_could_leave_the_site(target):
    assert safe_next_url(target) is None


@pytest.mark.parametrize(
    "target",
    ["/", "/accounts", "/accounts?q=1", "/accounts?q=kirkgate&page=2", "/organisation#people"],
)
def test_safe_next_url_keeps_a_path_on_this_site_unchanged(target):
    assert safe_next_url(target) == target


@pytest.mark.parametrize(
    ("given", "expected"),
    [("Jane@Example.ORG", "jane@example.org"), ("  jane@example.org \t", "jane@example.org")],
)
def test_normalise_email_trims_and_lowercases(given, expected):
    assert normalise_email(given) == expected
