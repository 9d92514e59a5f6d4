"""The service matcher's prefilter gives exactly what every pattern searched in turn gives."""

from __future__ import annotations

import random
from pathlib import Path

from infradocs.core.inventory import services as svc
from infradocs.core.inventory.extract import scalars
from infradocs.core.inventory.yamlload import load

FIXTURES = Path(__file__).parent / "fixtures"
# Fragments that match, nearly match or differ only in case or in look-alike letters.
PIECES = [
    "anaconda upload",
    "anaconda -t $TOKEN upload --force",
    "ANACONDA_API_TOKEN",
    "binstar_token",
    "rattler-build upload anaconda",
    "https://api.anaconda.org/",
    "heroku_api_key",
    "actions/deploy-pages@v4",
    "peaceiris/actions-gh-pages@v3",
    "gh-pages",
    "my-gh-pages",
    "ghp-import",
    "docker.io/library",
    "registry-1.docker.io",
    "DOCKERHUB_USER",
    "DOCKER_HUB_TOKEN",
    "hub.docker.com/r/x",
    "DOCKER_PASSWORD",
    "GH_DH_TOKEN",
    "docker login quay.io",
    "QUAY_USER",
    "GHCR_TOKEN",
    "docker push ghcr.io/x",
    "twine upload dist/*",
    "TEST_PYPI_API_TOKEN",
    "pypa/gh-action-pypi-publish@release/v1",
    "gh release create v1",
    "softprops/action-gh-release@v2",
    "actions/create-release@v1",
    "ncipollo/release-action@v1",
    "npm publish",
    "NPM_TOKEN",
    "az keyvault secret show",
    "1password/load-secrets-action@v2",
    "aws s3 sync . s3://bucket",
    "codecov/codecov-action@v5",
    "https://zenodo.org/record/1",
    "\u212a",  # Kelvin sign: matches k and K when case is ignored
    "\u017f3://",  # long s: s3:// when case is ignored
    "\u0130",
    "\u0131",
    "caf\u00e9",
    " ",
    "\n",
    "|",
    ";",
    "_",
    "-",
    "/",
    "@",
    ".",
    "x",
    "${{ secrets.TOKEN }}",
    "upload",
    "release",
    "pages",
    "docker",
    "pypi",
]


def _fixture_strings() -> list[str]:
    texts = []
    for path in sorted(FIXTURES.rglob("*.y*ml")):
        parsed = load(path.read_text(encoding="utf-8", errors="replace"))
        texts += [text for node in parsed.nodes for text, _, _ in scalars(node)]
    return texts


def _varied(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))
        mode = rng.random()
        if mode < 0.25:
            text = text.upper()
        elif mode < 0.5:
            text = "".join(c.upper() if rng.random() < 0.5 else c for c in text)
        out.append(text)
    return out


def test_prefilter_equals_every_pattern_in_turn() -> None:
    texts = _fixture_strings() + _varied(random.Random(16), 20_000)
    assert len(texts) > 20_000
    matched = 0
    for text in texts:
        want = svc.match_each(text, svc.RULES)
        assert svc.match(text) == want, text
        matched += bool(want)
    assert matched > 10_000  # the input exercises the matching side, not only the filter


def test_every_rule_matches_something_and_each_match_holds_a_needle() -> None:
    """The prefilter's premise: every match of a rule (in an ASCII text) holds one of the
    rule's needles, so a text or line without them cannot match."""
    texts = _varied(random.Random(7), 5_000) + _fixture_strings()
    for service, rx, needles in svc.RULES:
        found = [m.group().lower() for t in texts if t.isascii() for m in rx.finditer(t)]
        assert found, rx.pattern
        for text in found:
            assert any(n in text for n in needles), (service, rx.pattern, text)


def test_look_alike_letters_are_matched_as_before() -> None:
    kelvin = "\u212aEYVAULT"  # 'az keyvault' with a Kelvin sign for the K
    assert svc.match(f"az {kelvin}") == (("azure-key-vault", 0),)
    assert svc.match("\u017f3://bucket") == (("amazon-s3", 0),)


def test_multi_line_texts_matched_where_matches_can_start_equal_every_pattern() -> None:
    """Long scripts are tried only where a rule's match can start (at its literal start, or in
    the lines holding a needle): the same result as every rule searched over the whole text."""
    rng = random.Random(22)
    pieces = _varied(rng, 4_000)
    seps = ["\n", "\n  ", " \n", "\n\n", "\n\t", ";\n"]
    texts = [
        "".join(p + rng.choice(seps) for p in rng.sample(pieces, rng.randint(2, 12)))
        for _ in range(6_000)
    ]
    texts += [s for s in _fixture_strings() if "\n" in s]
    svc._SEEN.clear()
    matched = 0
    for text in texts:
        want = svc.match_each(text, svc.RULES)
        assert svc.match(text) == want, text
        matched += bool(want)
    assert matched > 1_000
    alts = [alt for plan in svc._PLAN for alt in plan]
    assert {(a.lead is None, a.line_bound) for a in alts} >= {(True, True), (False, True)}
    assert any(not a.line_bound for a in alts)  # every kind of alternative is exercised
    ascii_texts = [t for t in texts if t.isascii()]  # the others get every rule in turn
    for alt in alts:
        found = [m for m in map(alt.rx.search, ascii_texts) if m]
        if alt.lead is not None:  # every match starts with the lead
            assert all(m.group().lower().startswith(alt.lead) for m in found), alt
        if alt.line_bound:  # a line-bound alternative never matches across a newline
            assert not any("\n" in m.group() for m in found), alt


def test_alternatives_and_leads_of_patterns() -> None:
    """The top-level split respects groups, classes and escapes; a quantified last letter is
    not part of the lead; a lookbehind or \\b before it matches no text."""
    assert svc._alternatives(r"a(b|c)[|]\||d") == [r"a(b|c)[|]\|", "d"]
    assert svc._lead(r"https?://x") == "http"
    assert svc._lead(r"\bDOCKER_(?:A|B)") == "docker_"
    assert svc._lead(r"(?<![\w-])gh-pages") == "gh-pages"
    assert svc._lead(r"\bhub\.docker\.com\b") == "hub.docker.com"
    assert svc._lead(r"\b\w*QUAY_") is None
    assert svc._lead(r"(?:\b|_)DH_") is None


def test_a_line_remembered_from_one_text_gives_offsets_in_another() -> None:
    """Lines are tried once and remembered; the offsets they give are placed in each text, and
    a match across a line break (not line-bound) is still found over the whole text."""
    svc._SEEN.clear()
    svc._LINES.clear()
    line = "  echo $DOCKERHUB_TOKEN | docker login quay.io"
    texts = [
        f"{line}\nrun",
        f"set -e\n\n{line}\n",
        f"docker\n  push ghcr.io/x\n{line}",  # ghcr's docker...push spans a line break
        f"ok\nQUAY_USER=x\n{line}\n",  # quay's leftmost match is on an earlier line
    ]
    for text in texts:
        want = svc.match_each(text, svc.RULES)
        assert svc.match(text) == want and want, text
    assert line in svc._LINES and dict(svc.match(texts[2]))["ghcr.io"] == 0
    assert dict(svc.match(texts[3]))["quay.io"] == 3
