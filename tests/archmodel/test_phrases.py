"""Relation types read from their source, the same on pages and in diagrams."""

from infradocs.core.archmodel.phrases import phrase


def test_a_token_grants_access_and_a_holder_holds() -> None:
    assert phrase("holds-token-for", from_token=True) == "grants access to"
    assert phrase("holds-token-for") == "holds a token for"
    assert phrase("depends-on", from_token=True) == "depends on"
    assert phrase("builds-on") == "builds on"
