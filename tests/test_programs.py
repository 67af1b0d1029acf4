"""`pipeline.models.compile_cached`: the pattern `re.compile` makes, from a program cached on disk; and the store of
such derived values (`cached_derived`): one file per kind, merged, written when a process ends."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.models import cached_derived, compile_cached, forget_derived, load_json, pipeline_version, save_derived

SAMPLES = ["z.B.", "Köln/Bonn", "(NRW)", "50%.", "www.land.nrw", "1.000,50€", "„Vielfalt“", "Abs.2", "a--b", ""]


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr("pipeline.models.programs.CACHE_DIR", tmp_path)
    compile_cached.cache_clear()  # what this process compiled is kept in memory too
    forget_derived()
    yield tmp_path
    compile_cached.cache_clear()
    forget_derived()


def _as_new_process() -> None:
    """What a process computed is saved when it ends; the next one starts with nothing in memory."""
    save_derived()
    compile_cached.cache_clear()
    forget_derived()


def _behaviour(pattern: re.Pattern[str]) -> list[object]:
    return [(pattern.flags, pattern.groups, pattern.groupindex)] + [
        [(m.span(), m.groups()) for m in pattern.finditer(text)] for text in SAMPLES
    ]


@pytest.mark.parametrize("rule", ["prefix", "suffix", "infix", "url"])
def test_cached_program_is_re_compiles(rule: str, cache_dir: Path) -> None:
    pattern = load_json("tokenizer/de.json")[rule]
    fresh = compile_cached(pattern)  # compiled, and written when the process ends
    _as_new_process()
    assert len(list(cache_dir.glob("*.marshal"))) == 1
    cached = compile_cached(pattern)  # read back
    assert _behaviour(cached) == _behaviour(fresh) == _behaviour(re.compile(pattern))


def test_named_groups_and_flags_survive(cache_dir: Path) -> None:
    compile_cached(r"(?i)(?P<word>köln)\s(\d+)")
    _as_new_process()
    cached = compile_cached(r"(?i)(?P<word>köln)\s(\d+)")
    assert cached.flags == re.compile(r"(?i)(?P<word>köln)\s(\d+)").flags
    assert cached.search("in KÖLN 5").group("word", 2) == ("KÖLN", "5")


def test_a_broken_cache_file_is_compiled_again(cache_dir: Path) -> None:
    compile_cached("a+b")
    _as_new_process()
    (path,) = cache_dir.glob("*.marshal")
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # cut short
    assert compile_cached("a+b").findall("aab ab") == ["aab", "ab"]
    _as_new_process()
    (key,) = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps({key: {"pattern": "a+b", "flags": 32, "code": [99], "groups": 1, "groupindex": {}}}))
    assert compile_cached("a+b").findall("aab ab") == ["aab", "ab"]  # a program the engine refuses
    _as_new_process()
    path.write_bytes(marshal.dumps(["not", "a", "dict"]))
    assert compile_cached("a+b").findall("aab ab") == ["aab", "ab"]


def test_an_engine_with_other_internals_gets_plain_re(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def other_engine(program: object) -> re.Pattern[str]:
        raise TypeError("compile() takes 5 positional arguments")

    monkeypatch.setattr("pipeline.models.programs._from_program", other_engine)
    assert compile_cached(r"(?P<n>\d+)%").search("rund 40% der").group("n") == "40"
    save_derived()
    assert list(cache_dir.glob("*.marshal")) == []  # nothing written that this engine cannot read


def test_values_of_processes_are_merged_and_old_versions_removed(tmp_path: Path) -> None:
    forget_derived()
    old = tmp_path / f"kind-{'0' * 16}.marshal"
    old.write_bytes(marshal.dumps({"x": 1}))
    assert cached_derived(tmp_path, "kind", "a", lambda: [1, "one"], list) == [1, "one"]
    _as_new_process()
    assert cached_derived(tmp_path, "kind", "b", lambda: {"two": 2}, dict) == {"two": 2}
    _as_new_process()
    (path,) = tmp_path.glob("*.marshal")  # the other version's file is gone
    assert path.name == f"kind-{pipeline_version()}.marshal"
    assert marshal.loads(path.read_bytes()) == {"a": [1, "one"], "b": {"two": 2}}
    assert cached_derived(tmp_path, "kind", "a", lambda: ["computed", "again"], list) == [1, "one"]


def test_a_value_load_refuses_is_computed_again(tmp_path: Path) -> None:
    forget_derived()
    cached_derived(tmp_path, "kind", "a", lambda: "text", str)
    _as_new_process()

    def as_int(value: object) -> int:
        if not isinstance(value, int):
            raise TypeError("not a number")
        return value

    assert cached_derived(tmp_path, "kind", "a", lambda: 7, as_int) == 7
    _as_new_process()
    (path,) = tmp_path.glob("*.marshal")
    assert marshal.loads(path.read_bytes()) == {"a": 7}
    forget_derived()


@pytest.mark.parametrize("where", ["process", "worker"])
def test_values_are_saved_when_a_process_or_a_pool_worker_ends(where: str, tmp_path: Path) -> None:
    """A worker of a process pool ends without running `atexit`: what it computed is saved all the same."""
    compute = f"cached_derived(Path({str(tmp_path)!r}), 'kind', 'k', lambda: [os.getpid()], list)"
    program = "\n".join([
        "import os", "from pathlib import Path", "from concurrent.futures import ProcessPoolExecutor",
        "import multiprocessing", "from pipeline.models import cached_derived",
        "def work(): return " + compute,
        "if __name__ == '__main__':",
        "    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('fork')) as pool:"
        if where == "worker" else "    if True:",
        "        pid = pool.submit(work).result()[0]" if where == "worker" else "        pid = work()[0]",
        "    print(pid)",
    ])
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True)
    (path,) = tmp_path.glob("kind-*.marshal")
    assert marshal.loads(path.read_bytes()) == {"k": [int(done.stdout)]}
