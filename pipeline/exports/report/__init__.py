"""The self-contained HTML report: the page (`page`), its plots (`plots`) and each document's text with its facts
highlighted (`spans`).
"""

from pipeline.exports.report.page import tables_to_html, write_report
from pipeline.exports.report.plots import iso_to_date, partners_to_points

__all__ = [
    "iso_to_date",
    "partners_to_points",
    "tables_to_html",
    "write_report",
]
