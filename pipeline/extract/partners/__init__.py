"""The partners table: organisation mentions (`tokens`, `mentions`, `grow`), canonical names (`canon`,
`lexicon`) and joining dates (`dates`, `dating`).
"""

from pipeline.extract.partners.canon import name_to_entry
from pipeline.extract.partners.extract import extract_partners, merge_broken_sentences, split_at_semicolons
from pipeline.extract.partners.lexicon import compiled, heads, patterns
from pipeline.extract.partners.mentions import head_starts, text_to_mentions
from pipeline.extract.partners.tokens import tokenize

__all__ = [
    "compiled",
    "extract_partners",
    "head_starts",
    "heads",
    "merge_broken_sentences",
    "name_to_entry",
    "patterns",
    "split_at_semicolons",
    "text_to_mentions",
    "tokenize",
]
