"""`pipeline fetch`: Landtag NRW papers by number, politely (robots.txt, one request at a time, conditional
requests). The only package that uses the network; `extract` never imports it.

`spec` (what was asked: numbers, ranges, @FILE), `client` (the HTTP seam and robots.txt), `manifest` (what was
fetched), `recipe` (the run), `command` (the command line and its exit codes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.fetch.command import add_fetch_parser, fetch_command
from pipeline.fetch.spec import MINUTES, Paper, SpecError, specs_to_papers
from pipeline.lazy import lazy_names

if TYPE_CHECKING:
    from pipeline.fetch.client import FetchError, PoliteClient, Response, Robots, user_agent
    from pipeline.fetch.manifest import MANIFEST_NAME, Entry, load_manifest
    from pipeline.fetch.recipe import FetchSettings, FetchSummary, Outcome, fetch_papers, paper_url

# The HTTP client and the run are imported when first asked for: the command line of every other command
# registers `fetch` without paying for urllib's HTTP stack.
_LAZY = {
    "client": ("FetchError", "PoliteClient", "Response", "Robots", "user_agent"),
    "manifest": ("MANIFEST_NAME", "Entry", "load_manifest"),
    "recipe": ("FetchSettings", "FetchSummary", "Outcome", "fetch_papers", "paper_url"),
}

__getattr__ = lazy_names(__name__, _LAZY)

__all__ = [
    "MANIFEST_NAME",
    "MINUTES",
    "Entry",
    "FetchError",
    "FetchSettings",
    "FetchSummary",
    "Outcome",
    "Paper",
    "PoliteClient",
    "Response",
    "Robots",
    "SpecError",
    "add_fetch_parser",
    "fetch_command",
    "fetch_papers",
    "load_manifest",
    "paper_url",
    "specs_to_papers",
    "user_agent",
]
