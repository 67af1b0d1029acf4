"""The pipeline's version (a hash of its code and data, part of every cache key) is kept for the files' stat
stamps (`models.tree_version`): it must still change with every edit, also one that keeps a file's size and
modification time."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from pipeline.models import pipeline_version, tree_version


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    code, models = tmp_path / "pipeline", tmp_path / "models"
    (code / "stage").mkdir(parents=True)
    (code / "__pycache__").mkdir()
    (models / "sources").mkdir(parents=True)
    (code / "stage" / "rules.py").write_text("RULES = 1\n")
    (code / "__pycache__" / "rules.cpython-311.pyc").write_bytes(b"compiled")
    (models / "words.txt").write_text("Öffnung\n")
    (models / "sources" / "input.txt").write_text("raw input of the model build\n")
    return tmp_path


def version(tree: Path) -> str:
    return tree_version((tree / "pipeline", tree / "models"), tree / "models" / ".cache")


def test_version_is_the_hash_of_names_and_bytes(tree: Path) -> None:
    expected = hashlib.sha256()
    for name in ("pipeline/stage/rules.py", "models/words.txt"):
        expected.update(name.encode())
        expected.update((tree / name).read_bytes())
    assert version(tree) == expected.hexdigest()[:16]


def test_version_is_kept_for_the_stamps_and_ignores_caches_build_inputs_and_bytecode(tree: Path) -> None:
    first = version(tree)
    assert len(list((tree / "models" / ".cache").glob("version-*.json"))) == 1
    assert version(tree) == first
    (tree / "models" / ".cache" / "unrelated.json").write_text("{}")
    (tree / "models" / "sources" / "input.txt").write_text("another input\n")
    (tree / "pipeline" / "__pycache__" / "rules.cpython-311.pyc").write_bytes(b"recompiled")
    assert version(tree) == first


def test_an_edit_that_keeps_size_and_modification_time_changes_the_version(tree: Path) -> None:
    rules = tree / "pipeline" / "stage" / "rules.py"
    first = version(tree)
    stat = rules.stat()
    rules.write_text("RULES = 2\n")  # the same size
    os.utime(rules, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as `cp -p` or an archive would leave it
    assert version(tree) != first
    rules.write_text("RULES = 1\n")
    assert version(tree) == first


def test_a_new_or_removed_file_changes_the_version(tree: Path) -> None:
    first = version(tree)
    extra = tree / "models" / "more.txt"
    extra.write_text("Vielfalt\n")
    assert version(tree) != first
    extra.unlink()
    assert version(tree) == first


def test_a_damaged_cache_file_is_computed_again(tree: Path) -> None:
    first = version(tree)
    for stored in (tree / "models" / ".cache").glob("version-*.json"):
        stored.write_text("{not json")
    assert version(tree) == first


def test_the_pipeline_has_a_version() -> None:
    assert len(pipeline_version()) == 16
