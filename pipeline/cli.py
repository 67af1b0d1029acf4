"""Command line: `python -m pipeline extract ...`. The only place errors become exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.settings import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Extract partners, dates, figures, commitments and questions from NRW documents.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser(
        "extract",
        help="process raw documents into clean text and fact tables",
        description="Process every document in --raw into --clean (text) and --tables (CSV). "
        "Unchanged documents are taken from the cache. Exit code 0 when every document was processed, "
        "1 when any failed (the others are still written).",
    )
    extract.add_argument("--raw", type=Path, default=Path("corpus/raw"), help="input folder (default: corpus/raw)")
    extract.add_argument(
        "--clean", type=Path, default=Path("corpus/clean"), help="clean text output folder (default: corpus/clean)"
    )
    extract.add_argument(
        "--tables", type=Path, default=Path("corpus/tables"), help="CSV output folder (default: corpus/tables)"
    )
    extract.add_argument(
        "--jobs", type=int, default=0, help="parallel worker processes (default: the number of cores)"
    )
    extract.add_argument("--force", action="store_true", help="ignore the cache and process every document again")
    extract.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress bar on stderr (default: auto, i.e. only on a terminal)",
    )
    extract.add_argument(
        "--scheduler",
        default="",
        help="address of a Dask scheduler (tcp://HOST:PORT) to run documents on a cluster "
        "(default: $PIPELINE_SCHEDULER, else a local process pool)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        return _extract(args)
    return 2  # pragma: no cover - argparse enforces the command


def _extract(args: argparse.Namespace) -> int:
    import os

    from pipeline.orchestrator import run

    progress = {"always": True, "never": False}.get(args.progress, sys.stderr.isatty())
    settings = Settings(
        raw_dir=args.raw,
        clean_dir=args.clean,
        tables_dir=args.tables,
        jobs=max(0, args.jobs),
        force=args.force,
        progress=progress,
        scheduler=args.scheduler or os.environ.get("PIPELINE_SCHEDULER", ""),
    )
    try:
        summary = run(settings)
    except PipelineError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    for failure in summary.failures:
        print(f"failed [{failure.stage}] {failure.message}", file=sys.stderr)
    for line in summary.lines():
        print(line, file=sys.stderr)
    return 1 if summary.failures else 0
