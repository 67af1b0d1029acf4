"""German word frequencies (wordfreq's `large` list), cached on disk in a form that loads in milliseconds.

wordfreq rebuilds a 634,000-entry dict from its msgpack file in every process that asks (0.5-0.7 s, paid again
by every worker), and even a plain list of the words takes 0.1 s to split into strings. The cache, written once
per wordfreq data file under `models/.cache/` (git-ignored, rebuilt on demand), holds the sorted words as one
UTF-8 text, the offset of every word, the frequencies and a hash table of the words as number arrays. Loading
maps the four files into memory (under a millisecond) and makes no string per word; a lookup hashes the word
and compares it with the one or two words in its slots (~1 µs; a bisection over the sorted words took 3-5).
A page's quality check looks up a few hundred words and touches a small part of the 23 MB.
`text.word_class` caches its answers.
"""

from __future__ import annotations

import array
import mmap
from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from zlib import crc32

from pipeline.atomic import write_atomic
from pipeline.models import CACHE_DIR

# The hash table: open addressing with linear probing on the words' CRC-32 (stable across processes, unlike
# `hash`), at most half full so that a miss, the common answer for umlaut spellings, probes ~1.5 slots.
EMPTY = 0  # a free slot; a taken one holds its word's number + 1


class Frequencies:
    """Word → frequency, like a read-only dict.

    `text` is the sorted words in UTF-8, each with "\\n" before and after it; `starts[i]` the offset of the
    "\\n" before word i, and a last entry at the final "\\n"; `values[i]` word i's frequency; `slots` a hash
    table of a power-of-two size whose taken slots hold word numbers + 1 (`EMPTY` else), each word in the first
    slot from `crc32(word) & (len(slots) - 1)` on that is free or holds it. The arrays may be memory views of
    mapped files.

    >>> freqs = frequencies_from_words(["ab", "b", "ba"], array.array("d", [0.5, 0.25, 0.125]))
    >>> freqs.get("ba"), freqs.get("a"), len(freqs)
    (0.125, 0.0, 3)
    """

    def __init__(
        self, text: bytes | mmap.mmap, starts: Sequence[int], values: Sequence[float], slots: Sequence[int]
    ) -> None:
        size = len(slots)
        if len(starts) != len(values) + 1 or starts[-1] != len(text) - 1 or size & (size - 1) or size <= len(values):
            raise ValueError("word list, offsets, frequencies and hash table differ in length")
        self._text = text
        self._starts = starts
        self._values = values
        self._slots = slots
        self._mask = size - 1

    def __len__(self) -> int:
        return len(self._values)

    def get(self, word: str, default: float = 0.0) -> float:
        key = word.encode("utf-8", "surrogatepass")
        text, starts, slots, mask = self._text, self._starts, self._slots, self._mask
        slot = crc32(key) & mask
        while taken := slots[slot]:
            start = starts[taken - 1] + 1
            if text[start : starts[taken]] == key:
                return self._values[taken - 1]
            slot = (slot + 1) & mask
        return default


def frequencies_from_words(words: Sequence[str], values: array.array[float]) -> Frequencies:
    """`Frequencies` of sorted words (none containing "\\n", none twice) and their frequencies."""
    encoded = [word.encode("utf-8") for word in words]
    starts = array.array("I", [0])
    for word in encoded:
        starts.append(starts[-1] + len(word) + 1)
    slots = array.array("I", [EMPTY]) * (1 << (2 * len(encoded)).bit_length())  # over twice the words
    mask = len(slots) - 1
    for number, word in enumerate(encoded, start=1):
        slot = crc32(word) & mask
        while slots[slot] != EMPTY:
            slot = (slot + 1) & mask
        slots[slot] = number
    return Frequencies(b"\n" + b"\n".join(encoded) + b"\n", starts, values, slots)


def _paths() -> tuple[Path, Path, Path, Path]:
    # Named after the data file of the installed wordfreq (its size and time), so another wordfreq has another
    # cache; found without importing wordfreq, and without importlib.metadata (25 ms of imports per worker).
    spec = find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("wordfreq is not installed: run `make setup`")
    data = Path(spec.origin).parent / "data" / "large_de.msgpack.gz"
    stat = data.stat()
    stem = f"wordfreq-de-large-{stat.st_size}-{stat.st_mtime_ns}"
    return (
        CACHE_DIR / f"{stem}.text",
        CACHE_DIR / f"{stem}.starts",
        CACHE_DIR / f"{stem}.freq",
        CACHE_DIR / f"{stem}.slots",
    )


def build_frequencies() -> Frequencies:
    import wordfreq

    pairs = sorted(wordfreq.get_frequency_dict("de", wordlist="large").items())
    words = [word for word, _ in pairs if "\n" not in word]
    values = array.array("d", (freq for word, freq in pairs if "\n" not in word))
    freqs = frequencies_from_words(words, values)
    try:
        # atomic: two workers building at once both write whole files (the same ones)
        for path, data in zip(_paths(), (freqs._text, freqs._starts, values, freqs._slots), strict=True):
            write_atomic(path, bytes(data))
    except OSError:
        pass  # a read-only checkout: work without the cache
    return freqs


def _mapped(path: Path) -> mmap.mmap:
    with path.open("rb") as file:
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)  # the map outlives the file handle


@lru_cache(maxsize=1)
def german_frequencies() -> Frequencies:
    """wordfreq's German `large` list (bundled with the package, no download), from the cache when present."""
    text_path, starts_path, values_path, slots_path = _paths()
    try:
        text = _mapped(text_path)
        starts = memoryview(_mapped(starts_path)).cast("I")
        values = memoryview(_mapped(values_path)).cast("d")
        slots = memoryview(_mapped(slots_path)).cast("I")
        return Frequencies(text, starts, values, slots)
    except (OSError, ValueError, TypeError):
        return build_frequencies()
