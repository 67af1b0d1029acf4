"""The text stage: per-page text from each kind of input (PDF text layer and layout, page furniture, Tesseract OCR,
HTML, plain-text decoding) and how trustworthy that text is (`quality`).

`source_to_raw_text` is the entry point; `pdf`, `html` and `plain` read one kind each, `layout` and `furniture` turn
positioned lines into reading order without running headers and footers, `ocr` is the one seam to Tesseract.
"""

from pipeline.text import frequencies, ocr
from pipeline.text.chars import distinct, glyph_boxes_mended, median_of
from pipeline.text.furniture import Line, remove_furniture, repeated_lines
from pipeline.text.html import html_to_raw_text
from pipeline.text.layout import find_gutter, find_gutters, items_to_lines, place_footnotes, reading_order
from pipeline.text.pdf import (
    PAGES_PER_SHARE,
    LayerShare,
    PageImage,
    PdfLayers,
    join_page_hyphens,
    layer_lines,
    layers_to_raw_text,
    ocr_page_image,
    pages_of_share,
    pdf_page_count,
    plan_pdf,
    read_share,
    share_count,
    shares_of_file,
)
from pipeline.text.plain import decode_bytes
from pipeline.text.quality import layer_damage, text_quality, text_to_stats
from pipeline.text.source import check_raw_text, source_to_raw_text
from pipeline.text.words import (
    Char,
    chars_to_text,
    coverage,
    line_order,
    page_items,
    per_segment_quantile,
    with_separators,
)

# `ocr` and `frequencies` are the seams to Tesseract and to wordfreq: public as modules, so that tests can replace
# the engine or the cache folder.
__all__ = [
    "frequencies",
    "ocr",
    "html_to_raw_text",
    "find_gutter",
    "find_gutters",
    "items_to_lines",
    "place_footnotes",
    "reading_order",
    "join_page_hyphens",
    "layer_lines",
    "Line",
    "LayerShare",
    "PAGES_PER_SHARE",
    "pages_of_share",
    "PageImage",
    "PdfLayers",
    "layers_to_raw_text",
    "ocr_page_image",
    "pdf_page_count",
    "plan_pdf",
    "read_share",
    "share_count",
    "shares_of_file",
    "check_raw_text",
    "decode_bytes",
    "layer_damage",
    "remove_furniture",
    "repeated_lines",
    "source_to_raw_text",
    "text_quality",
    "text_to_stats",
    "Char",
    "chars_to_text",
    "glyph_boxes_mended",
    "distinct",
    "median_of",
    "page_items",
    "line_order",
    "per_segment_quantile",
    "coverage",
    "with_separators",
]
