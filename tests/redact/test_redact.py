"""The one ``redact()``: every credential form the tools print or store, and what stays as is."""

from __future__ import annotations

import pytest

from infradocs.core.redact import redact, redact_text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        # user:password@ and token@ in the authority
        ("https://user:pa55@github.com/o/r.git", "https://***@github.com/o/r.git"),
        ("https://ghp_abc123@github.com/o/r", "https://***@github.com/o/r"),
        ("https://x-access-token:ghs_1@github.com/o/r", "https://***@github.com/o/r"),
        ("http://u:p@127.0.0.1:8000/", "http://***@127.0.0.1:8000/"),
        ("https://u:p@host", "https://***@host"),
        # an unencoded "@" in the password: everything before the last "@" is hidden
        ("https://u:p@ss@host/x", "https://***@host/x"),
        ("ssh://git@github.com/o/r.git", "ssh://***@github.com/o/r.git"),
        # secret-looking query and fragment parameters, whatever their case
        ("https://h.example/x?token=abc&page=2", "https://h.example/x?token=***&page=2"),
        ("https://h.example/x?a=1&ACCESS_TOKEN=abc", "https://h.example/x?a=1&ACCESS_TOKEN=***"),
        ("https://h.example/x?sig=abc#top", "https://h.example/x?sig=***#top"),
        ("https://h.example/cb#access_token=abc", "https://h.example/cb#access_token=***"),
        ("https://u:p@h.example/x?api_key=k", "https://***@h.example/x?api_key=***"),
    ],
)
def test_credentials_are_hidden(url: str, shown: str) -> None:
    assert redact(url) == shown


@pytest.mark.parametrize(
    "text",
    [
        "https://github.com/conda-forge/staged-recipes",
        "http://127.0.0.1:8000/page.html#section",
        # an "@" after the authority is not a credential
        "https://h.example/search?email=a@b.example",
        "https://h.example/@user/post",
        # parameters merely ending in a secret word keep their value
        "https://h.example/x?monkey=banana&tokens=3",
        # not URLs with a scheme: scp-like remotes, paths, plain text
        "git@github.com:conda-forge/conda-smithy.git",
        "/srv/clones/o/r",
        "",
    ],
)
def test_everything_else_is_unchanged(text: str) -> None:
    assert redact(text) == text


def test_every_url_in_a_message_is_redacted() -> None:
    message = "unable to access 'https://x:ghp_1@github.com/o/r/': see http://h/?token=t for more"
    assert redact_text(message) == (
        "unable to access 'https://***@github.com/o/r/': see http://h/?token=*** for more"
    )
