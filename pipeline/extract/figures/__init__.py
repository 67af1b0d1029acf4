"""The figures table: quantities in the text (`mentions`), their readings and units (`readings`, `context`,
`lexicon`) and what is not a figure (`exclusions`).
"""

from pipeline.extract.figures.extract import extract_figures, text_to_readings
from pipeline.extract.figures.lexicon import fold, lexicon, noun_to_unit
from pipeline.extract.figures.mentions import number_word_candidates, text_to_quantities

__all__ = [
    "extract_figures",
    "fold",
    "lexicon",
    "noun_to_unit",
    "number_word_candidates",
    "text_to_quantities",
    "text_to_readings",
]
