"""German word frequencies (wordfreq's `large` list), cached on disk in a form that loads in milliseconds.

wordfreq rebuilds a 634,000-entry dict from its msgpack file in every process that asks (0.5-0.7 s, paid again
by every worker), and even a plain list of the words takes 0.1 s to split into strings. The cache, written once
per wordfreq version under `models/.cache/` (git-ignored, rebuilt on demand), holds the sorted words as one
UTF-8 text, the offset of every `BLOCK`-th word and the frequencies as a number array: loading it reads three
files and makes no string per word. `text.word_class` caches its answers.
"""

from __future__ import annotations

import array
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from pipeline.atomic import write_atomic
from pipeline.models import MODELS_DIR

CACHE_DIR = MODELS_DIR / ".cache"
BLOCK = 64  # words per block: a lookup bisects the blocks' first words, then searches one block (~700 bytes)


class Frequencies:
    """Word → frequency, like a read-only dict.

    `text` is the sorted words in UTF-8 (whose byte order is the code point order of `str`), each with "\\n"
    before and after it; `starts[b]` the offset of the "\\n" before block b's first word, and a last entry at
    the final "\\n".

    >>> freqs = frequencies_from_words(["ab", "b", "ba"], array.array("d", [0.5, 0.25, 0.125]))
    >>> freqs.get("ba"), freqs.get("a"), len(freqs)
    (0.125, 0.0, 3)
    """

    def __init__(self, text: bytes, starts: array.array[int], values: array.array[float]) -> None:
        if len(starts) != (len(values) + BLOCK - 1) // BLOCK + 1 or starts[-1] != len(text) - 1:
            raise ValueError("word list, block index and frequencies differ in length")
        self._text = text
        self._starts = starts
        self._values = values
        self._heads = [text[start + 1 : text.index(b"\n", start + 1)] for start in starts[:-1]]

    def __len__(self) -> int:
        return len(self._values)

    def get(self, word: str, default: float = 0.0) -> float:
        key = word.encode("utf-8", "surrogatepass")
        block = bisect_right(self._heads, key) - 1
        if block < 0 or b"\n" in key:
            return default
        start = self._starts[block]
        found = self._text.find(b"\n" + key + b"\n", start, self._starts[block + 1] + 1)
        if found < 0:
            return default
        return self._values[block * BLOCK + self._text.count(b"\n", start, found)]


def frequencies_from_words(words: Sequence[str], values: array.array[float]) -> Frequencies:
    """`Frequencies` of sorted words (none containing "\\n") and their frequencies."""
    encoded = [word.encode("utf-8") for word in words]
    starts = array.array("Q")
    offset = 0
    for number, word in enumerate(encoded):
        if number % BLOCK == 0:
            starts.append(offset)
        offset += len(word) + 1
    starts.append(offset)
    return Frequencies(b"\n" + b"\n".join(encoded) + b"\n", starts, values)


def _paths() -> tuple[Path, Path, Path]:
    stem = f"wordfreq-{version('wordfreq')}-de-large"
    return CACHE_DIR / f"{stem}.text", CACHE_DIR / f"{stem}.blocks{BLOCK}", CACHE_DIR / f"{stem}.freq"


def build_frequencies() -> Frequencies:
    import wordfreq

    pairs = sorted(wordfreq.get_frequency_dict("de", wordlist="large").items())
    words = [word for word, _ in pairs if "\n" not in word]
    values = array.array("d", (freq for word, freq in pairs if "\n" not in word))
    freqs = frequencies_from_words(words, values)
    text_path, starts_path, values_path = _paths()
    try:
        # atomic: two workers building at once both write whole files
        write_atomic(values_path, values.tobytes())
        write_atomic(starts_path, freqs._starts.tobytes())
        write_atomic(text_path, freqs._text)
    except OSError:
        pass  # a read-only checkout: work without the cache
    return freqs


@lru_cache(maxsize=1)
def german_frequencies() -> Frequencies:
    """wordfreq's German `large` list (bundled with the package, no download), from the cache when present."""
    text_path, starts_path, values_path = _paths()
    try:
        starts = array.array("Q")
        starts.frombytes(starts_path.read_bytes())
        values = array.array("d")
        values.frombytes(values_path.read_bytes())
        return Frequencies(text_path.read_bytes(), starts, values)
    except (OSError, ValueError):
        return build_frequencies()
