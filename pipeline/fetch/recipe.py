"""The fetch recipe: read robots.txt once, then for each paper asked for, in order: allowed? → (conditional) GET →
save atomically → manifest. Only the papers asked for are requested; no link is ever followed."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.atomic import LockedError, exclusive_lock, write_atomic
from pipeline.fetch.client import FetchError, PoliteClient, Response, Robots, robots_url
from pipeline.fetch.manifest import LOCK_NAME, Entry, load_manifest, now, save_manifest
from pipeline.fetch.spec import LANDTAG, Paper
from pipeline.ingest import is_pdf, sha256_of

ARCHIVE_PATH = "/portal/WWW/dokumentenarchiv/Dokument/"

# What became of a paper. The first three mean "the local copy is the server's"; the run succeeds only with those.
FETCHED, UPDATED, UNCHANGED = "fetched", "updated", "unchanged"
NOT_PUBLISHED, REFUSED, FAILED = "not published", "refused", "failed"
GOOD = (FETCHED, UPDATED, UNCHANGED)


@dataclass(frozen=True)
class FetchSettings:
    """Built once at the edge (the CLI) and passed down."""

    to_dir: Path = Path("corpus/raw")
    base_url: str = LANDTAG
    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0


@dataclass(frozen=True)
class Outcome:
    paper: Paper
    status: str
    detail: str = ""

    def line(self) -> str:
        """The progress line for this paper: `18/3 MMD18-3.pdf: not published (HTTP 404)`."""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.paper.label} {self.paper.file_name}: {self.status}{detail}"


@dataclass(frozen=True)
class FetchSummary:
    outcomes: tuple[Outcome, ...]
    requests: int  # HTTP requests sent, robots.txt and retries included

    @property
    def complete(self) -> bool:
        """Every paper asked for is on disk as the server has it."""
        return all(outcome.status in GOOD for outcome in self.outcomes)

    def line(self) -> str:
        counts = Counter(outcome.status for outcome in self.outcomes)
        parts = [f"{counts[s]} {s}" for s in (*GOOD, NOT_PUBLISHED, REFUSED, FAILED) if counts[s]]
        return f"fetch: {len(self.outcomes)} asked: {', '.join(parts) or 'nothing'}; {self.requests} requests"


def paper_url(base_url: str, paper: Paper) -> str:
    """>>> paper_url("https://www.landtag.nrw.de/", Paper(18, 14087))
    'https://www.landtag.nrw.de/portal/WWW/dokumentenarchiv/Dokument/MMD18-14087.pdf'
    """
    return base_url.rstrip("/") + ARCHIVE_PATH + paper.file_name


def fetch_papers(
    settings: FetchSettings, papers: Iterable[Paper], report: Callable[[str], None] = lambda line: None
) -> FetchSummary:
    """Fetch the papers into settings.to_dir, one line per paper to `report`. Raises FetchError when the run cannot
    start (robots.txt unreadable, another fetch into the same folder); a paper's own trouble is its Outcome."""
    folder = settings.to_dir
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with exclusive_lock(folder / LOCK_NAME, f"pid {os.getpid()}"):
            client = PoliteClient(settings.delay, settings.timeout, settings.retries, settings.backoff)
            robots = Robots(robots_url(settings.base_url), client.get(robots_url(settings.base_url)))
            client.delay = max(settings.delay, robots.crawl_delay(client.agent))
            client.may_visit = lambda url: robots.allows(client.agent, url)
            entries = load_manifest(folder)
            outcomes = []
            for paper in papers:
                outcomes.append(fetch_one(client, paper_url(settings.base_url, paper), paper, folder, entries))
                report(outcomes[-1].line())
            return FetchSummary(tuple(outcomes), client.requests)
    except LockedError as exc:
        raise FetchError(f"another fetch ({exc or 'unknown process'}) is writing to {folder}",
                         "wait until it has finished, or pass another --to folder") from None


def fetch_one(client: PoliteClient, url: str, paper: Paper, folder: Path, entries: dict[str, Entry]) -> Outcome:
    if not client.may_visit(url):
        return Outcome(paper, REFUSED, f"robots.txt disallows {url}; not requested")
    known = entries.get(paper.file_name)
    known = known if known and known.url == url and known.matches(folder) else None
    try:
        response = client.get(url, conditional_headers(known))
    except FetchError as exc:
        return Outcome(paper, FAILED, exc.message)
    if response.status == 304 and known:
        entries[known.file] = replace(known, checked_at=now())
        save_manifest(folder, entries)
        return Outcome(paper, UNCHANGED, "HTTP 304, nothing transferred")
    if response.status in (404, 410):
        return Outcome(paper, NOT_PUBLISHED, f"HTTP {response.status}")
    if response.status != 200:
        return Outcome(paper, FAILED, f"HTTP {response.status}")
    if not is_pdf(response.body):
        kind = response.header("Content-Type") or "no Content-Type"
        return Outcome(paper, FAILED, f"the answer is not a PDF ({kind}, {len(response.body)} bytes); nothing saved")
    return save(response, url, paper, folder, entries)


def conditional_headers(known: Entry | None) -> dict[str, str]:
    """Validators of the copy we hold, so that an unchanged file costs a 304 and no transfer."""
    if known is None:
        return {}
    headers = {"If-None-Match": known.etag} if known.etag else {}
    return headers | ({"If-Modified-Since": known.last_modified} if known.last_modified else {})


def save(response: Response, url: str, paper: Paper, folder: Path, entries: dict[str, Entry]) -> Outcome:
    """Replace the local file only when the bytes differ (atomically: a reader sees the old file or the new one)."""
    path = folder / paper.file_name
    digest = sha256_of(response.body)
    old = sha256_of(path.read_bytes()) if path.is_file() else ""
    if old != digest:
        write_atomic(path, response.body)
    previous = entries.get(paper.file_name)
    stamp = now()
    entries[paper.file_name] = Entry(
        file=paper.file_name, number=paper.label, kind=paper.kind, url=url, sha256=digest, size=len(response.body),
        etag=response.header("ETag"), last_modified=response.header("Last-Modified"),
        fetched_at=previous.fetched_at if previous and previous.sha256 == digest and old == digest else stamp,
        checked_at=stamp,
    )
    save_manifest(folder, entries)
    size = f"{len(response.body)} bytes"
    if not old:
        return Outcome(paper, FETCHED, size)
    return Outcome(paper, UNCHANGED, f"same bytes, {size} transferred") if old == digest else \
        Outcome(paper, UPDATED, f"{size}, replaces the local copy")
