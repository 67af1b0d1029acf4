"""German word frequencies (wordfreq's `large` list), cached on disk as a sorted word list and a number array.

wordfreq rebuilds a 634,000-entry dict from its msgpack file in every process that asks (0.5-0.7 s, paid again
by every worker); the cache is written once per wordfreq version under `models/.cache/` (git-ignored, rebuilt on
demand) and loads several times faster. Lookups are a binary search; `text.word_class` caches its answers.
"""

from __future__ import annotations

import array
from bisect import bisect_left
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from pipeline.atomic import write_atomic
from pipeline.models import MODELS_DIR

CACHE_DIR = MODELS_DIR / ".cache"


class Frequencies:
    """Word → frequency, like a read-only dict."""

    def __init__(self, words: list[str], values: array.array[float]) -> None:
        if len(words) != len(values):
            raise ValueError("word list and frequencies differ in length")
        self._words = words
        self._values = values

    def __len__(self) -> int:
        return len(self._words)

    def get(self, word: str, default: float = 0.0) -> float:
        index = bisect_left(self._words, word)
        if index < len(self._words) and self._words[index] == word:
            return self._values[index]
        return default


def _paths() -> tuple[Path, Path]:
    stem = f"wordfreq-{version('wordfreq')}-de-large"
    return CACHE_DIR / f"{stem}.words", CACHE_DIR / f"{stem}.freq"


def build_frequencies() -> Frequencies:
    import wordfreq

    pairs = sorted(wordfreq.get_frequency_dict("de", wordlist="large").items())
    words = [word for word, _ in pairs if "\n" not in word]
    values = array.array("d", (freq for word, freq in pairs if "\n" not in word))
    words_path, values_path = _paths()
    try:
        # atomic: two workers building at once both write whole files
        write_atomic(values_path, values.tobytes())
        write_atomic(words_path, "\n".join(words))
    except OSError:
        pass  # a read-only checkout: work without the cache
    return Frequencies(words, values)


@lru_cache(maxsize=1)
def german_frequencies() -> Frequencies:
    """wordfreq's German `large` list (bundled with the package, no download), from the cache when present."""
    words_path, values_path = _paths()
    try:
        words = words_path.read_bytes().decode("utf-8").split("\n")
        values = array.array("d")
        values.frombytes(values_path.read_bytes())
        return Frequencies(words, values)
    except (OSError, UnicodeDecodeError, ValueError):
        return build_frequencies()
