"""`python -m pipeline fetch SPEC...`: the command line of the fetcher, and its exit codes.

Exit codes: 0 every paper asked for is on disk as the server has it (fetched, updated or unchanged); 1 some are
not (not published, refused by robots.txt, failed after retries; the others are saved); 2 nothing was fetched
because the run could not start (a SPEC that names no paper, an unreadable @FILE, robots.txt unreadable, another
fetch into the same folder, a --to folder that cannot be written); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.fetch.spec import DRUCKSACHE, LANDTAG, MINUTES, specs_to_papers


def add_fetch_parser(commands: Any) -> None:
    fetch = commands.add_parser(
        "fetch",
        help="download Landtag NRW Drucksachen (or plenary minutes) by number, obeying robots.txt",
        description="Download the papers named by SPEC (18/14087, a range 18/14080-18/14090, or @FILE with one "
        "SPEC per line) into --to as MMD18-14087.pdf, with a manifest (.fetch-manifest.json). robots.txt is read "
        "once and obeyed; one request at a time; a second run asks only for what changed. Exit code 0 when every "
        "paper is fetched or up to date, 1 when any is not (not published, refused by robots.txt, failed), "
        "2 when the run could not start.",
    )
    fetch.add_argument("specs", nargs="+", metavar="SPEC", help="18/14087, 18/14080-18/14090 or @FILE")
    fetch.add_argument("--to", type=Path, default=Path("corpus/raw"), help="folder for the PDFs (default: corpus/raw)")
    fetch.add_argument("--base-url", default=LANDTAG, help="the site to fetch from (default: %(default)s)")
    fetch.add_argument("--delay", type=float, default=1.0,
                       help="seconds between requests, or robots.txt's Crawl-delay if longer (default: %(default)s)")
    fetch.add_argument("--minutes", action="store_true",
                       help="fetch plenary minutes (MMP18-12.pdf) instead of Drucksachen (MMD)")


def fetch_command(args: argparse.Namespace) -> int:
    from pipeline.fetch.recipe import FetchSettings, fetch_papers  # the HTTP client, only when fetching

    settings = FetchSettings(to_dir=args.to, base_url=args.base_url, delay=max(0.0, args.delay))
    try:
        papers = specs_to_papers(args.specs, MINUTES if args.minutes else DRUCKSACHE)
        summary = fetch_papers(settings, papers, report=lambda line: print(line, file=sys.stderr, flush=True))
    except PipelineError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # every saved file and the manifest are whole (atomic writes)
        print("interrupted: run the same command again to go on where it stopped", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}: make --to writable and free disk space, then run again",
              file=sys.stderr)
        return 2
    print(summary.line(), file=sys.stderr)
    return 0 if summary.complete else 1
