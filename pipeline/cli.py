"""Command line: `python -m pipeline extract ...`. The only place errors become exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.fetch import add_fetch_parser, fetch_command
from pipeline.settings import Settings
from pipeline.tools import add_query_parser, query_command


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
        "1 when any failed (the others are still written), 2 when the run was refused or could not finish "
        "(one line says why: e.g. an empty --raw, another run on the same outputs, a failed export).",
    )
    extract.add_argument(
        "--raw", type=Path, default=Path("corpus/raw"), help="input folder (default: corpus/raw)"
    )
    extract.add_argument(
        "--clean",
        type=Path,
        default=Path("corpus/clean"),
        help="clean text output folder (default: corpus/clean)",
    )
    extract.add_argument(
        "--tables",
        type=Path,
        default=Path("corpus/tables"),
        help="CSV output folder (default: corpus/tables)",
    )
    extract.add_argument(
        "--jobs", type=int, default=0, help="parallel worker processes (default: the number of cores)"
    )
    extract.add_argument(
        "--force", action="store_true", help="ignore the cache and process every document again"
    )
    extract.add_argument(
        "--allow-empty",
        action="store_true",
        help="let a raw folder without documents remove the outputs of earlier runs (refused otherwise)",
    )
    extract.add_argument(
        "--max-text-chars",
        type=int,
        default=Settings.max_text_chars,
        help="a document whose text is longer fails with a clear message (default: %(default)s)",
    )
    extract.add_argument(
        "--max-seconds-per-document",
        type=float,
        default=Settings.max_seconds_per_document,
        help="a document task (or one page's OCR) running longer is stopped and its document fails; 0: no limit; "
        "not enforced with --jobs 1 or --scheduler (default: %(default)s)",
    )
    extract.add_argument(
        "--max-megapixels",
        type=float,
        default=Settings.max_megapixels,
        help="a page is rendered for OCR at --ocr-dpi or smaller, to stay within this size (default: %(default)s)",
    )
    extract.add_argument(
        "--ocr-dpi", type=int, default=Settings.ocr_dpi, help="resolution pages are OCRed at (default: %(default)s)"
    )
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
    score = commands.add_parser(
        "score",
        help="print precision/recall/F1 per table against the golden cases",
        description="Score the seed tables (--tables, default corpus/tables) against tests/golden/seeds, and, "
        "with --cases, run the pipeline on tests/cases/docs and score it against tests/cases/gold.",
    )
    score.add_argument(
        "--gold", type=Path, default=Path("tests/golden/seeds"), help="gold folder for the seeds"
    )
    score.add_argument("--tables", type=Path, default=Path("corpus/tables"), help="tables to score")
    score.add_argument("--cases", type=Path, default=Path("tests/cases"), help="folder with docs/ and gold/")
    score.add_argument("--no-cases", action="store_true", help="score the seeds only")
    score.add_argument("--details", action="store_true", help="list every missed and extra row")
    add_query_parser(commands)
    add_fetch_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        return _extract(args)
    if args.command == "score":
        return _score(args)
    if args.command == "query":
        return query_command(args)
    if args.command == "fetch":
        return fetch_command(args)
    return 2  # pragma: no cover - argparse enforces the command


def _extract(args: argparse.Namespace) -> int:
    import os

    from pipeline.run import run

    progress = {"always": True, "never": False}.get(args.progress, sys.stderr.isatty())
    settings = Settings(
        raw_dir=args.raw,
        clean_dir=args.clean,
        tables_dir=args.tables,
        jobs=max(0, args.jobs),
        force=args.force,
        progress=progress,
        scheduler=args.scheduler or os.environ.get("PIPELINE_SCHEDULER", ""),
        allow_empty=args.allow_empty,
        max_text_chars=args.max_text_chars,
        max_seconds_per_document=max(0.0, args.max_seconds_per_document),
        max_megapixels=args.max_megapixels,
        ocr_dpi=args.ocr_dpi,
    )
    try:
        summary = run(settings)
    except PipelineError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    except OSError as exc:  # an output folder that cannot be written: read-only, disk full
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}: make the output folders writable and free disk space, "
              "then run again", file=sys.stderr)
        return 2
    for failure in summary.failures:
        print(f"failed [{failure.stage}] {failure.message}", file=sys.stderr)
    for line in summary.lines():
        print(line, file=sys.stderr)
    return 1 if summary.failures else 0


def _score(args: argparse.Namespace) -> int:
    from pipeline.run import run
    from pipeline.tools import format_scores, score_dirs

    print(
        format_scores(
            f"seeds ({args.gold} vs {args.tables})", score_dirs(args.gold, args.tables), args.details
        )
    )
    if not args.no_cases and (args.cases / "gold" / "documents.csv").exists():
        out = Path("tests/out/cases")
        settings = Settings(
            raw_dir=args.cases / "docs", clean_dir=out / "clean", tables_dir=out / "tables", jobs=2
        )
        run(settings)
        print()
        print(
            format_scores(
                f"new cases ({args.cases})", score_dirs(args.cases / "gold", out / "tables"), args.details
            )
        )
    return 0
