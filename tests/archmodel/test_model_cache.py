"""The model kept between builds (buildcache): used while nothing changed, never when the model
file or the code that reads it changed, and a bad edit still reported by file and line."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import yaml
from test_model import GOOD

from infradocs.core import buildcache
from infradocs.core.archmodel import ModelError, load_model
from infradocs.core.archmodel import load as load_mod


def _write(path: Path, components: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"components": components}, sort_keys=False))
    return path


def _kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.pickle"))


def _tamper(cache: Path, summary: str) -> None:
    """Rewrite the one kept result with another summary, to see whether a load reads it."""
    (kept,) = _kept(cache)
    comps = pickle.loads(kept.read_bytes())
    comps[0].data["summary"] = summary
    kept.write_bytes(pickle.dumps(comps))


def test_kept_components_equal_a_fresh_parse(tmp_path: Path) -> None:
    model = tmp_path / "model"
    _write(model / "a.yaml", [GOOD])
    cache = tmp_path / "kept"
    first = load_model(model, cache)
    again = load_model(model, cache)  # from the kept file
    fresh = load_model(model)
    assert len(_kept(cache)) == 1
    for comp in (first["team-a"], again["team-a"]):
        ref = fresh["team-a"]
        assert (comp.data, comp.file, comp.line, comp.facts, comp.evidence) == (
            ref.data,
            ref.file,
            ref.line,
            ref.facts,
            ref.evidence,
        )


def test_unchanged_model_is_read_from_the_cache(tmp_path: Path) -> None:
    model, cache = tmp_path / "model", tmp_path / "kept"
    _write(model / "a.yaml", [GOOD])
    load_model(model, cache)
    _tamper(cache, "from the cache")
    assert load_model(model, cache)["team-a"].summary == "from the cache"


def test_an_edit_after_a_cached_load_is_picked_up(tmp_path: Path) -> None:
    model, cache = tmp_path / "model", tmp_path / "kept"
    path = _write(model / "a.yaml", [GOOD])
    load_model(model, cache)
    _write(path, [dict(GOOD, summary="Edited summary.")])
    assert load_model(model, cache)["team-a"].summary == "Edited summary."
    assert len(_kept(cache)) == 1  # the older result was replaced, not piled up


def test_a_bad_edit_after_a_cached_load_names_file_and_line(tmp_path: Path) -> None:
    model, cache = tmp_path / "model", tmp_path / "kept"
    path = _write(model / "a.yaml", [GOOD, dict(GOOD, id="team-b", title="Team B")])
    load_model(model, cache)
    bad = dict(GOOD, id="team-b", titel="oops")
    del bad["title"]
    _write(path, [GOOD, bad])
    for _ in range(2):  # a file with problems is never kept: the second load reports them too
        with pytest.raises(ModelError) as err:
            load_model(model, cache)
        text = str(err.value)
        assert f"{path}:" in text and "'title' is a required property" in text
        line = int(text.split(f"{path}:")[1].split(":")[0])
        assert path.read_text().splitlines()[line - 1].lstrip("- ").startswith(("id:", "titel:"))


def test_the_cache_is_not_used_when_the_deriving_code_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, cache = tmp_path / "model", tmp_path / "kept"
    _write(model / "a.yaml", [GOOD])
    code = tmp_path / "facts.py"
    code.write_text("# the deriving code\n")
    monkeypatch.setattr(load_mod, "_code", lambda: buildcache.code_hash([code]))
    load_model(model, cache)
    _tamper(cache, "from the cache")
    assert load_model(model, cache)["team-a"].summary == "from the cache"
    code.write_text("# the deriving code, edited\n")
    assert load_model(model, cache)["team-a"].summary == GOOD["summary"]


def test_the_key_covers_the_reading_code(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Path] = []
    real = buildcache.code_hash
    monkeypatch.setattr(buildcache, "code_hash", lambda files: seen.extend(files) or real(files))
    load_mod._code()
    assert {"load.py", "facts.py", "schema.json"} <= {p.name for p in seen}


def test_an_unreadable_kept_file_is_derived_again(tmp_path: Path) -> None:
    model, cache = tmp_path / "model", tmp_path / "kept"
    _write(model / "a.yaml", [GOOD])
    load_model(model, cache)
    (kept,) = _kept(cache)
    kept.write_bytes(b"not a pickle")
    assert load_model(model, cache)["team-a"].summary == GOOD["summary"]
    assert pickle.loads(kept.read_bytes())[0].summary == GOOD["summary"]
