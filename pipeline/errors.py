"""A small error hierarchy. The library raises; the CLI edge turns errors into one line and an exit code.

Every error carries the stage it happened in and what the user should do next.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: `stage` names where it failed, `fix` tells the user what to do."""

    stage = "pipeline"

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def one_line(self) -> str:
        text = self.message if not self.fix else f"{self.message}: {self.fix}"
        return " ".join(text.split())


class InputError(PipelineError):
    """The input file itself is unusable (empty, corrupt, encrypted, unknown type, undecodable)."""

    stage = "ingest"


class TextError(PipelineError):
    """No usable text could be obtained from the document."""

    stage = "text"


class EngineError(PipelineError):
    """An external engine (Tesseract, a PDF library) is missing or failed."""

    stage = "text"


class MissingDependency(EngineError):
    """A program, its language data or a Python package the run needs is not installed (the CLI's exit code 3)."""
