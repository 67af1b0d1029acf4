"""What the user asked for: `18/14087`, `18/14080-18/14090` (or `18/14080-14090`), `@FILE` → a list of papers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError

LANDTAG = "https://www.landtag.nrw.de"  # the site papers are fetched from

DRUCKSACHE = "MMD"
MINUTES = "MMP"  # Plenarprotokoll
MAX_RANGE = 5000  # a typo like 18/1-18/140870 would otherwise mean days of requests

_NUMBER = re.compile(r"(\d{1,2})/(\d{1,6})")
_RANGE = re.compile(r"(\d{1,2})/(\d{1,6})-(?:(\d{1,2})/)?(\d{1,6})")


class SpecError(PipelineError):
    """A SPEC that names no paper (or an @FILE that cannot be read)."""

    stage = "fetch"


@dataclass(frozen=True, order=True)
class Paper:
    """One document of the Landtag's archive: Wahlperiode, number and kind (MMD Drucksache, MMP minutes)."""

    wahlperiode: int
    number: int
    kind: str = DRUCKSACHE

    @property
    def label(self) -> str:
        """How people write it: `18/14087`."""
        return f"{self.wahlperiode}/{self.number}"

    @property
    def file_name(self) -> str:
        """The archive's own name, kept locally: `MMD18-14087.pdf`.

        >>> Paper(18, 14087).file_name, Paper(18, 12, MINUTES).file_name
        ('MMD18-14087.pdf', 'MMP18-12.pdf')
        """
        return f"{self.kind}{self.wahlperiode}-{self.number}.pdf"


def spec_to_papers(spec: str, kind: str = DRUCKSACHE) -> list[Paper]:
    """One number or one range (both ends in the same Wahlperiode).

    >>> [p.label for p in spec_to_papers("18/14087")]
    ['18/14087']
    >>> [p.label for p in spec_to_papers("18/9-18/11")], [p.label for p in spec_to_papers("18/9-11")]
    (['18/9', '18/10', '18/11'], ['18/9', '18/10', '18/11'])
    """
    text = spec.strip()
    if match := _NUMBER.fullmatch(text):
        return [paper(int(match[1]), int(match[2]), kind, spec)]
    if match := _RANGE.fullmatch(text):
        wahlperiode, first, last = int(match[1]), int(match[2]), int(match[4])
        if match[3] is not None and int(match[3]) != wahlperiode:
            raise SpecError(f"{spec!r}: a range stays within one Wahlperiode",
                            "write two ranges, e.g. 17/5-17/9 18/1-18/4")
        if last < first:
            raise SpecError(f"{spec!r}: the range runs backwards", f"write {wahlperiode}/{last}-{wahlperiode}/{first}")
        if last - first >= MAX_RANGE:
            raise SpecError(f"{spec!r}: more than {MAX_RANGE} numbers in one range", "split it into smaller ranges")
        return [paper(wahlperiode, number, kind, spec) for number in range(first, last + 1)]
    raise SpecError(f"{spec!r} is not a number like 18/14087 or a range like 18/14080-18/14090",
                    "write WAHLPERIODE/NUMBER, a range of them, or @FILE")


def paper(wahlperiode: int, number: int, kind: str, spec: str) -> Paper:
    if not 1 <= wahlperiode <= 99 or number < 1:
        raise SpecError(f"{spec!r}: Wahlperiode and number start at 1", "check the number")
    return Paper(wahlperiode, number, kind)


def specs_to_papers(
    specs: Iterable[str], kind: str = DRUCKSACHE, read_text: Callable[[Path], str] | None = None
) -> list[Paper]:
    """Every paper the SPECs name, once each, in the order first asked. `@FILE` holds SPECs, one per line (blank
    lines and `#` comments ignored); a file does not name other files.

    >>> [p.label for p in specs_to_papers(["18/2", "18/1-18/3"])]
    ['18/2', '18/1', '18/3']
    """
    read = read_text or (lambda path: path.read_text(encoding="utf-8"))
    papers: dict[Paper, None] = {}
    for spec in specs:
        for line in file_to_specs(spec[1:], read) if spec.startswith("@") else [spec]:
            papers.update(dict.fromkeys(spec_to_papers(line, kind)))
    return list(papers)


def file_to_specs(name: str, read: Callable[[Path], str]) -> list[str]:
    try:
        text = read(Path(name))
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"@{name}: cannot read the list ({exc})",
                        "give a readable UTF-8 file, one SPEC per line") from None
    specs = [word for line in text.splitlines() for word in line.partition("#")[0].split()]
    nested = [spec for spec in specs if spec.startswith("@")]
    if nested:
        raise SpecError(f"@{name}: names another list ({nested[0]})", "put the numbers themselves in the file")
    return specs
