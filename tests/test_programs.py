"""`pipeline.models.compile_cached`: the pattern `re.compile` makes, from a program cached on disk."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.models import compile_cached, load_json

SAMPLES = ["z.B.", "Köln/Bonn", "(NRW)", "50%.", "www.land.nrw", "1.000,50€", "„Vielfalt“", "Abs.2", "a--b", ""]


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr("pipeline.models.programs.CACHE_DIR", tmp_path)
    compile_cached.cache_clear()  # what this process compiled is kept in memory too
    yield tmp_path
    compile_cached.cache_clear()


def _behaviour(pattern: re.Pattern[str]) -> list[object]:
    return [(pattern.flags, pattern.groups, pattern.groupindex)] + [
        [(m.span(), m.groups()) for m in pattern.finditer(text)] for text in SAMPLES
    ]


@pytest.mark.parametrize("rule", ["prefix", "suffix", "infix", "url"])
def test_cached_program_is_re_compiles(rule: str, cache_dir: Path) -> None:
    pattern = load_json("tokenizer/de.json")[rule]
    fresh = compile_cached(pattern)  # compiled and written
    assert len(list(cache_dir.iterdir())) == 1
    compile_cached.cache_clear()
    cached = compile_cached(pattern)  # read back
    assert _behaviour(cached) == _behaviour(fresh) == _behaviour(re.compile(pattern))


def test_named_groups_and_flags_survive(cache_dir: Path) -> None:
    compile_cached(r"(?i)(?P<word>köln)\s(\d+)")
    compile_cached.cache_clear()
    cached = compile_cached(r"(?i)(?P<word>köln)\s(\d+)")
    assert cached.flags == re.compile(r"(?i)(?P<word>köln)\s(\d+)").flags
    assert cached.search("in KÖLN 5").group("word", 2) == ("KÖLN", "5")


def test_a_broken_cache_file_is_compiled_again(cache_dir: Path) -> None:
    compile_cached("a+b")
    (path,) = cache_dir.iterdir()
    path.write_text('{"pattern": "a+b", "code": [1, 2, 3]', encoding="utf-8")
    compile_cached.cache_clear()
    assert compile_cached("a+b").findall("aab ab") == ["aab", "ab"]
    path.write_text('{"pattern": "a+b", "flags": 32, "code": [99], "groups": 1, "groupindex": {}}', encoding="utf-8")
    compile_cached.cache_clear()
    assert compile_cached("a+b").findall("aab ab") == ["aab", "ab"]


def test_an_engine_with_other_internals_gets_plain_re(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def other_engine(program: object) -> re.Pattern[str]:
        raise TypeError("compile() takes 5 positional arguments")

    monkeypatch.setattr("pipeline.models.programs._from_program", other_engine)
    assert compile_cached(r"(?P<n>\d+)%").search("rund 40% der").group("n") == "40"
    assert list(cache_dir.iterdir()) == []  # nothing written that this engine cannot read
