"""Shared fixtures: the seed corpus run once per test session into a temporary folder."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from pipeline.run import Summary, run
from pipeline.settings import Settings

# CI explores the same examples every run (a new counterexample should come from a developer's run, not land as a
# random CI failure); locally, hypothesis keeps searching.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "raw"
GOLD = ROOT / "tests" / "golden" / "seeds"


@dataclass(frozen=True)
class Run:
    settings: Settings
    summary: Summary

    @property
    def tables(self) -> Path:
        return self.settings.tables_dir

    @property
    def clean(self) -> Path:
        return self.settings.clean_dir


def make_settings(base: Path, raw: Path, jobs: int = 2) -> Settings:
    return Settings(raw_dir=raw, clean_dir=base / "clean", tables_dir=base / "tables", jobs=jobs)


def copy_seeds(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, dest / path.name)
    return dest


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("seed_run")
    settings = make_settings(base, copy_seeds(base / "raw"))
    return Run(settings, run(settings))
