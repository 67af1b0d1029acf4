"""OCR repair: damaged words and lost list numbers restored from a German lexicon and a confusion table, every edit
recorded with its score (`core` is the recipe; `gate` decides whether a text is damaged at all).
"""

from pipeline.repair.core import apply_edits, damaged_spans, repair_clean, replay, text_to_edits
from pipeline.repair.gate import text_is_damaged, text_to_gate_stats
from pipeline.repair.lexicon import load_lexicon
from pipeline.repair.marks import numbers_to_restore
from pipeline.repair.words import TOKEN

__all__ = [
    "TOKEN",
    "apply_edits",
    "damaged_spans",
    "load_lexicon",
    "numbers_to_restore",
    "repair_clean",
    "replay",
    "text_is_damaged",
    "text_to_edits",
    "text_to_gate_stats",
]
