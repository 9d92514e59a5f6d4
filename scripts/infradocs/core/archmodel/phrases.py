"""How a relation type reads from its source ("builds on"), in pages and diagrams alike."""

from __future__ import annotations

PHRASES = {
    "triggers": "triggers",
    "builds-on": "builds on",
    "uploads-to": "uploads to",
    "reads": "reads",
    "holds-token-for": "holds a token for",
    "deploys-to": "deploys to",
    "depends-on": "depends on",
    "holds": "holds",
}
# A token's holds-token-for is the access it grants: the token holds nothing, its holder does.
TOKEN_PHRASES = {"holds-token-for": "grants access to"}


def phrase(relation_type: str, from_token: bool = False) -> str:
    """The words an arrow (or a sentence) of ``relation_type`` carries, read from its source."""
    if from_token and relation_type in TOKEN_PHRASES:
        return TOKEN_PHRASES[relation_type]
    return PHRASES.get(relation_type, relation_type)
