"""The dates table, and the one German date reader (`parse`, over the date atoms of `atoms`).
"""

from pipeline.extract.dates.extract import extract_dates, kind_from_before, kind_from_cues
from pipeline.extract.dates.parse import DateMention, parse_dates

__all__ = [
    "DateMention",
    "extract_dates",
    "kind_from_before",
    "kind_from_cues",
    "parse_dates",
]
