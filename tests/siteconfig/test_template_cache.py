"""The HTML templates' compiled code is kept between builds, and an edited template is not
served from it."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
import sphinxapp

CONF = (
    'extensions = ["myst_parser", "infradocs.sphinxext.siteconfig"]\n'
    'templates_path = ["_templates"]\n'
)
LAYOUT = '{% extends "!layout.html" %}{% block footer %}<p id="mark">MARK</p>{% endblock %}\n'


def _site(src: Path, mark: str) -> None:
    (src / "_templates").mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text("# Home\n\nText.\n")
    (src / "_templates" / "layout.html").write_text(LAYOUT.replace("MARK", mark))


def _build(src: Path, out: Path, compiled: list[str]) -> str:
    """A strict build in this process; the home page's HTML. ``compiled`` gets the name of
    every template file Jinja compiled from its source (not the strings Sphinx renders)."""
    (src / "index.md").touch()
    compiled.clear()
    built = sphinxapp.build(src, out, nitpicky=False)
    assert built.returncode == 0, built.stderr
    return (built.outdir / "index.html").read_text()


def test_templates_compile_once_and_an_edited_one_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        if name is not None:
            compiled.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    src, out = tmp_path / "src", tmp_path / "out"
    _site(src, "first")
    assert '<p id="mark">first</p>' in _build(src, out, compiled)
    assert "layout.html" in compiled and len(compiled) > 3
    assert list((out / "doctrees" / "jinja2").glob("*.cache"))
    _build(src, out, compiled)
    assert compiled == []  # every template came from the cache
    _site(src, "second")
    assert '<p id="mark">second</p>' in _build(src, out, compiled)
    assert compiled == ["layout.html"]  # only the edited one
