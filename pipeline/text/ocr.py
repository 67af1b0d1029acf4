"""The one seam to Tesseract: page image in, text lines, mean confidence and what was done out.

Tesseract's own threading is pinned to one thread (OMP_THREAD_LIMIT=1): parallelism comes from running one
page per worker, which measured about 5x faster on 2 cores than Tesseract's default threading.
`ocr_page` adds what a scan needs around the engine: rotation by Tesseract OSD, a Sauvola retry when a page
with ink comes back nearly empty, and a cache keyed by the page image's hash so no page is OCRed twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import EngineError, MissingDependency
from pipeline.records import JsonRecord
from pipeline.text.chars import median_of

if TYPE_CHECKING:  # PIL is imported where a page is OCRed, not by every run (~9 ms)
    from PIL import Image

SAUVOLA = "-c thresholding_method=2"
_CACHE_VERSION = "ocr-6"  # bump when what `ocr_page` does to an image changes
_MIN_WORDS = 8  # fewer words than this on a page with ink means "nearly empty": retry
_INK_SHARE = 0.002  # share of dark pixels above which a page "has ink"
_OSD_BELOW_CONFIDENCE = 80.0  # mean word confidence under which the page may be turned
# A page is read first at two thirds of its resolution (300 → 200 dpi: Tesseract scales text lines to a fixed
# height anyway, and reads body text as well, about 35 % faster); only a page that reads badly there (few words,
# low confidence) is read at full resolution, with the rotation and thresholding retries below.
_FAST_SCALE = 2 / 3
_FAST_MIN_WIDTH = 2000  # pixels: below this (an A4 page under ~240 dpi) the image is read as it is
_FAST_MIN_CONFIDENCE = 85.0


@dataclass(frozen=True)
class OcrLine(JsonRecord):
    """One recognised line; `top`/`bottom` are fractions of the page height (0 = top edge)."""

    text: str
    top: float
    bottom: float
    starts_paragraph: bool = False
    left: float = 0.0  # fractions of the page width
    right: float = 1.0
    size: float = 0.0  # median word height, a fraction of the page height (unlike the line box, skew-free)


@dataclass(frozen=True)
class OcrResult(JsonRecord):
    """What Tesseract read on one page: its text and lines, mean confidence and what was done."""

    _nested = {"lines": OcrLine}

    text: str
    confidence: float  # mean word confidence 0..100 (0 when no words)
    note: str = ""
    lines: tuple[OcrLine, ...] = ()
    words: int = 0


@lru_cache(maxsize=8)
def check_tesseract(lang: str) -> None:
    """Raise a clear EngineError when tesseract or its language data is missing; pin Tesseract to one thread.

    Called (once per process and language) before the engine's first use, so that importing this module changes
    nothing: the tesseract processes started after it inherit OMP_THREAD_LIMIT=1 unless the user set it."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    if shutil.which("tesseract") is None:
        raise MissingDependency(
            "needs OCR, but the tesseract program was not found on PATH",
            "run `make setup` or `apt-get install tesseract-ocr tesseract-ocr-deu`, then run again",
        )
    try:
        langs = set(pytesseract.get_languages(config=""))
    except Exception as exc:  # pragma: no cover - engine failure
        raise EngineError(f"tesseract failed to start ({exc})", "reinstall it with `make setup`") from exc
    missing = [code for code in lang.split("+") if code not in langs]
    if missing:
        raise MissingDependency(
            f"tesseract language data missing: {', '.join(missing)}",
            f"run `apt-get install {' '.join('tesseract-ocr-' + m for m in missing)}`",
        )


def ocr_image(image: Image.Image, lang: str = "deu", config: str = "") -> OcrResult:
    """OCR one page image with Tesseract; lines in reading order, confidence averaged over words."""
    import pytesseract

    check_tesseract(lang)
    with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        # An uncompressed PGM, not pytesseract's default PNG: encoding and decoding a noisy 300 dpi page as PNG
        # costs about a second, a quarter of the OCR itself, and the recognised text is identical.
        path = Path(tmp) / "page.pgm"
        image.convert("L").save(path)
        try:
            data = pytesseract.image_to_data(
                str(path), lang=lang, config=f"--psm 3 {config}".strip(), output_type=pytesseract.Output.DICT
            )
        except pytesseract.TesseractError as exc:
            raise tesseract_failure(exc.message, image.size) from exc
    return data_to_result(data, image.height, image.width)


def tesseract_failure(detail: str, size: tuple[int, int]) -> EngineError:
    """Tesseract's complaint about a page image as an error that says what to do.

    >>> tesseract_failure("Image too large: (40000, 300)", (40000, 300)).fix
    'lower --ocr-dpi or --max-megapixels'
    """
    detail = " ".join(str(detail).split())
    if "too large" in detail.lower():
        return EngineError(
            f"Tesseract refused a page image of {size[0]} x {size[1]} pixels as too large (at most 32767 a side)",
            "lower --ocr-dpi or --max-megapixels",
        )
    return EngineError(f"Tesseract failed on a page image ({detail})", "please report this file")


def data_to_result(data: dict[str, list], height: int, width: int = 0) -> OcrResult:
    """Tesseract's word table → lines (a blank line between paragraphs) and the mean word confidence."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if str(word).strip():
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    confidences = [float(data["conf"][i]) for ids in lines.values() for i in ids if float(data["conf"][i]) >= 0]
    out: list[str] = []
    records: list[OcrLine] = []
    previous: tuple[int, int] | None = None
    for key, ids in lines.items():
        if previous is not None and key[:2] != previous:
            out.append("")
        text = " ".join(str(data["text"][i]) for i in ids)
        out.append(text)
        top = min(data["top"][i] for i in ids)
        bottom = max(data["top"][i] + data["height"][i] for i in ids)
        starts = previous is not None and key[:2] != previous
        left = min(data["left"][i] for i in ids) / (width or 1)
        right = max(data["left"][i] + data["width"][i] for i in ids) / (width or 1)
        size = median_of(data["height"][i] for i in ids) / height
        box = (round(top / height, 4), round(bottom / height, 4))
        records.append(OcrLine(text, *box, starts, round(left, 4), round(right, 4), round(size, 4)))
        previous = key[:2]
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return OcrResult("\n".join(out), round(confidence, 1), lines=tuple(records), words=len(confidences))


def osd_rotation(image: Image.Image) -> int:
    """Clockwise degrees (0, 90, 180, 270) the page must be turned to read upright; 0 when OSD is unsure."""
    import pytesseract

    small = image if image.width <= 1800 else image.resize((image.width // 2, image.height // 2))
    try:
        osd = pytesseract.image_to_osd(small, config="--psm 0", output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError:
        return 0  # too few characters to decide: leave the page as it is
    if float(osd.get("orientation_conf", 0)) < 1.5:
        return 0
    return int(osd.get("rotate", 0)) % 360


def has_ink(image: Image.Image) -> bool:
    """Whether a page carries enough dark pixels to hold text (a blank page does not)."""
    gray = image.convert("L")
    gray.thumbnail((600, 600))
    histogram = gray.histogram()
    dark = sum(histogram[:128])
    return dark / max(1, gray.width * gray.height) >= _INK_SHARE


def image_key(image: Image.Image, lang: str) -> str:
    """The cache key of a page image: its pixels, size and mode, the language and the OCR recipe version."""
    digest = hashlib.sha256(f"{_CACHE_VERSION}|{lang}|{image.mode}|{image.size}".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()[:32]


def ocr_page(image: Image.Image, lang: str, cache_dir: Path | None = None) -> OcrResult:
    """OCR a page image the careful way (rotation, Sauvola retry), once per distinct image."""
    path = cache_dir / f"{image_key(image, lang)}.json" if cache_dir is not None else None
    cached = read_cached(path)
    if cached is not None:
        return cached
    result = _ocr_upright(image, lang)
    write_cached(path, result)
    return result


def page_key(file_sha256: str, index: int, dpi: int, lang: str) -> str:
    """A second cache key for the same result: the PDF's content, the page and how it is rendered, so a document
    task finds what a page task OCRed without rendering and hashing the page image again."""
    text = f"{_CACHE_VERSION}|{file_sha256}|{index}|{dpi}|{lang}"
    return "page-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def read_cached(path: Path | None) -> OcrResult | None:
    if path is None or not path.exists():
        return None
    try:
        return OcrResult.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, TypeError, KeyError):
        return None  # a damaged cache entry only means: OCR again


def write_cached(path: Path | None, result: OcrResult) -> None:
    if path is None:
        return
    from pipeline.atomic import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(result.to_dict(), ensure_ascii=False, sort_keys=True))


def _ocr_upright(image: Image.Image, lang: str) -> OcrResult:
    """OCR; when the result looks wrong (few words or low confidence) ask OSD whether the page is turned.

    OSD costs about a quarter of a page's OCR, so it runs only where an upright reading failed."""
    from PIL import Image

    check_tesseract(lang)
    if image.width >= _FAST_MIN_WIDTH:
        size = (round(image.width * _FAST_SCALE), round(image.height * _FAST_SCALE))
        small = image.resize(size, Image.Resampling.BILINEAR)
        fast = ocr_image(small, lang)
        if fast.words >= _MIN_WORDS and fast.confidence >= _FAST_MIN_CONFIDENCE:
            return fast
    notes: list[str] = []
    result = ocr_image(image, lang)
    if result.words < _MIN_WORDS or result.confidence < _OSD_BELOW_CONFIDENCE:
        rotation = osd_rotation(image)
        if rotation:
            image = image.rotate(-rotation, expand=True)
            turned = ocr_image(image, lang)
            if turned.confidence >= result.confidence or turned.words > result.words:
                result = turned
                notes.append(f"rotated {rotation} degrees (OSD)")
    if result.words < _MIN_WORDS and has_ink(image):
        retry = ocr_image(image, lang, SAUVOLA)
        if retry.words > result.words:
            result = retry
            notes.append(f"Sauvola thresholding retry ({retry.words} words)")
        else:
            notes.append("nearly empty despite ink (Sauvola retry did not help)")
    return OcrResult(result.text, result.confidence, "; ".join(notes), result.lines, result.words)
