"""Command line: `python -m pipeline extract ...`. The only place errors become exit codes.

Exit codes (README "Exit codes"): 0 done; 1 some documents (or papers) failed, the rest written; 2 usage error, or
the run was refused or could not finish; 3 a program or package the run needs is missing; 130 interrupted.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.errors import MissingDependency, PipelineError
from pipeline.fetch import add_fetch_parser, fetch_command
from pipeline.settings import Settings
from pipeline.tools import add_query_parser, query_command

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_MISSING, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class Parser(argparse.ArgumentParser):
    """argparse with a suggestion for a mistyped flag or subcommand ("did you mean --force?")."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}{self.suggestion(message)}\n")

    def suggestion(self, message: str) -> str:
        if message.startswith("unrecognized arguments:"):
            words, known = message.split(":", 1)[1].split(), list(self._option_string_actions)
        elif message.startswith("argument command: invalid choice:"):
            words, known = [message.split("'")[1]], list(self._subcommands())
        else:
            return ""
        for word in words:
            close = difflib.get_close_matches(word.split("=")[0], known, n=1, cutoff=0.6)
            if close:
                return f" (did you mean {close[0]}?)"
        return ""

    def _subcommands(self) -> list[str]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return list(action.choices)
        return []

    def subcommand(self, name: str) -> Parser:
        """The parser of subcommand `name` (itself when there is none)."""
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and name in action.choices:
                return action.choices[name]  # type: ignore[no-any-return]
        return self


def number(kind: Callable[[str], float], low: float, what: str) -> Callable[[str], float]:
    """An argparse type: a number of `kind` not below `low` (`--jobs -3` is refused with a clear message)."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{text} is below {low:g}: give {what} of at least {low:g}")
        return value

    parse.__name__ = what  # argparse names the type in its messages
    return parse


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("nrw-iko-pipeline")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


class VersionAction(argparse.Action):
    """`--version`: the installed version, looked up only when asked (importlib.metadata costs 20 ms per run)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(f"{parser.prog} {version()}")
        parser.exit()


def verbosity_flags() -> Parser:
    """-q / -v, accepted after the subcommands that use them."""
    flags = Parser(add_help=False)
    group = flags.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_const", const=-1, dest="verbosity", default=0,
                       help="print only errors and failures")
    group.add_argument("-v", "--verbose", action="store_const", const=1, dest="verbosity",
                       help="also print the settings used")
    return flags


def build_parser() -> Parser:
    parser = Parser(
        prog="python -m pipeline",
        description="Extract partners, dates, figures, commitments and questions from NRW documents. "
        "Exit codes: 0 done; 1 some documents failed; 2 usage error, or the run was refused or could not finish; "
        "3 a program or package it needs is missing; 130 interrupted.",
    )
    parser.add_argument("--version", action=VersionAction)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    extract = commands.add_parser(
        "extract",
        parents=[verbosity_flags()],
        help="process raw documents into clean text and fact tables",
        description="Process every document in --raw into --clean (text) and --tables (CSV). "
        "Unchanged documents are taken from the cache. Exit code 0 when every document was processed, "
        "1 when any failed (the others are still written), 2 when the run was refused or could not finish "
        "(one line says why: e.g. an empty --raw, another run on the same outputs, a failed export), "
        "3 when documents failed because a program they need is missing (tesseract or its German data), "
        "130 when interrupted (Ctrl-C; finished documents are kept).",
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
        "--jobs", type=number(int, 0, "a whole number"), default=0,
        help="parallel worker processes (default, or 0: the number of cores)"
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
        type=number(int, 1, "a whole number"),
        default=Settings.max_text_chars,
        help="a document whose text is longer fails with a clear message (default: %(default)s)",
    )
    extract.add_argument(
        "--max-seconds-per-document",
        type=number(float, 0, "a number of seconds"),
        default=Settings.max_seconds_per_document,
        help="a document task (or one page's OCR) running longer is stopped and its document fails; 0: no limit; "
        "not enforced with --jobs 1 or --scheduler (default: %(default)s)",
    )
    extract.add_argument(
        "--max-megapixels",
        type=number(float, 0.1, "a number of megapixels"),
        default=Settings.max_megapixels,
        help="a page is rendered for OCR at --ocr-dpi or smaller, to stay within this size (default: %(default)s)",
    )
    extract.add_argument(
        "--ocr-dpi", type=number(int, 50, "a whole number of dots per inch"), default=Settings.ocr_dpi,
        help="resolution pages are OCRed at (default: %(default)s)",
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
        parents=[verbosity_flags()],
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
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # a mistyped flag of a subcommand: that subcommand's usage and a suggestion, not the top level's
        parser.subcommand(args.command).error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("interrupted: run the same command again to go on (finished work is kept)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except MissingDependency as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return EXIT_MISSING
    except ImportError as exc:  # a declared Python package that is not installed
        print(f"error: Python package {exc.name or exc} is missing: run `make setup`", file=sys.stderr)
        return EXIT_MISSING


def _dispatch(args: argparse.Namespace) -> int:
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

    from pipeline.lazy import importing

    with importing():
        from pipeline.run import run

    progress = {"always": True, "never": False}.get(args.progress, sys.stderr.isatty() and args.verbosity >= 0)
    settings = Settings(
        raw_dir=args.raw,
        clean_dir=args.clean,
        tables_dir=args.tables,
        jobs=args.jobs,
        force=args.force,
        progress=progress,
        scheduler=args.scheduler or os.environ.get("PIPELINE_SCHEDULER", ""),
        allow_empty=args.allow_empty,
        max_text_chars=args.max_text_chars,
        max_seconds_per_document=args.max_seconds_per_document,
        max_megapixels=args.max_megapixels,
        ocr_dpi=args.ocr_dpi,
    )
    if args.verbosity > 0:
        print(f"settings: {settings}", file=sys.stderr)
    try:
        summary = run(settings)
    except PipelineError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return EXIT_MISSING if isinstance(exc, MissingDependency) else EXIT_USAGE
    except OSError as exc:  # an output folder that cannot be written: read-only, disk full
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}: make the output folders writable and free disk space, "
              "then run again", file=sys.stderr)
        return 2
    for failure in summary.failures:
        print(f"failed [{failure.stage}] {failure.message}", file=sys.stderr)
    if args.verbosity >= 0:
        for line in summary.lines():
            print(line, file=sys.stderr)
    if any(failure.error == MissingDependency.__name__ for failure in summary.failures):
        return EXIT_MISSING
    return EXIT_FAILED if summary.failures else EXIT_OK


def _score(args: argparse.Namespace) -> int:
    from pipeline.run import run
    from pipeline.tools import format_scores, score_dirs

    for flag, folder in (("--gold", args.gold), ("--tables", args.tables)):
        if not (folder / "documents.csv").is_file():
            print(f"error: {flag} {folder}: no documents.csv there: give a folder of tables "
                  "(run `make extract` first for corpus/tables)", file=sys.stderr)
            return EXIT_USAGE
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
