"""The HTML report: the page (`page`), the corpus overview with its plots (`overview`, `plots`, `chart`), one
page per document with its clean text and facts marked (`texts`, `spans`), shared pieces (`markup`, `assets`).
"""

from pipeline.exports.names import TEXTS_FOLDER
from pipeline.exports.report.chart import NARROW, WIDE
from pipeline.exports.report.page import tables_to_html, write_report
from pipeline.exports.report.plots import Point, iso_to_date, partners_timeline_svg, partners_to_points

__all__ = [
    "NARROW",
    "TEXTS_FOLDER",
    "WIDE",
    "Point",
    "iso_to_date",
    "partners_timeline_svg",
    "partners_to_points",
    "tables_to_html",
    "write_report",
]
