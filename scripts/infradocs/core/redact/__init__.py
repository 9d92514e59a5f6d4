"""Hide credentials in URLs before they are printed or stored: the one ``redact()``."""

from __future__ import annotations

import re

# scheme://netloc: the netloc ends at the first "/", "?" or "#" (RFC 3986, section 3.2).
_AUTHORITY = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)")
# Query or fragment parameters whose value is a credential (OAuth tokens, API keys, signatures).
_SECRET_PARAM = re.compile(
    r"([?&#;](?:access_token|token|api_key|apikey|key|secret|password|sig|signature)=)[^&#;]*",
    re.IGNORECASE,
)
# A URL inside free text (a git error message, a log line): up to whitespace or a quote.
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"]+")


def redact(url: str) -> str:
    """``url`` with ``user:password@`` (or ``token@``) and secret-looking parameters as ``***``.

    Text that is not a URL with a scheme is returned unchanged.
    """
    if "@" not in url and "=" not in url:  # nothing to hide (most URLs): no regex
        return url
    match = _AUTHORITY.match(url)
    if not match:
        return url
    scheme, netloc = match.groups()
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    rest = url[match.end() :]
    return scheme + netloc + _SECRET_PARAM.sub(r"\1***", rest)


def redact_text(text: str) -> str:
    """``text`` with every URL in it redacted (for error messages and logs)."""
    return _URL_IN_TEXT.sub(lambda m: redact(m.group()), text)
