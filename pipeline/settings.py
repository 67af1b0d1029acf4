"""One immutable Settings object built at the edge (the CLI) and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """What a run is asked to do: folders, parallelism, OCR and the bounds per document."""

    raw_dir: Path = Path("corpus/raw")
    clean_dir: Path = Path("corpus/clean")
    tables_dir: Path = Path("corpus/tables")
    jobs: int = 0  # 0 = number of cores
    force: bool = False
    progress: bool = False
    ocr_lang: str = "deu"
    ocr_dpi: int = 300
    scheduler: str = ""  # tcp://host:port of a Dask scheduler; empty = local process pool
    # A document task may hand parts of its work back to the scheduler, to run as tasks on every worker: a PDF's
    # pages to OCR, rendered after reading its text layer (`document.OcrFirst`), and a long text's fact tables, in
    # parts (`document.FactsFirst`). Set by the pool and the Dask backend, not by a run in one process.
    split_ocr: bool = False
    keep_results: int = 2000  # results of a run held in memory for the tables (beyond this, read back from disk)
    allow_empty: bool = False  # an empty raw folder may remove the outputs of earlier runs
    # Resource bounds per document (README, "Limits"): a longer text fails with a clear message rather than
    # after half an hour in the sentence splitter (spaCy refuses texts over 1,000,000 characters anyway).
    max_text_chars: int = 1_000_000
    max_html_depth: int = 500  # HTML nested deeper fails at once (bs4's per-element work grows with the depth)
    max_megapixels: float = 50.0  # a page is rendered for OCR at ocr_dpi, or smaller to stay under this size
    # A worker task (a document, or one page's OCR) running longer is stopped and its document fails (0 = no
    # limit); only where tasks run in worker processes: not with one worker (`jobs=1`) nor on a Dask cluster.
    max_seconds_per_document: float = 120.0

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)

    @property
    def state_dir(self) -> Path:
        """Per-document cached results live next to the clean text, keyed by content and pipeline version."""
        return self.clean_dir / ".state"

    @property
    def ocr_cache_dir(self) -> Path:
        return self.clean_dir / ".ocr-cache"
