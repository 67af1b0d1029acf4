"""The partners table: organisation mentions (`mentions`, `grow`), canonical names (`canon`, `lexicon`) and joining
dates (`dates`, `dating`).
"""

from pipeline.extract.partners.canon import name_to_entry
from pipeline.extract.partners.extract import extract_partners
from pipeline.extract.partners.lexicon import compiled, heads, patterns
from pipeline.extract.partners.mentions import head_starts, make_doc, text_to_mentions

__all__ = [
    "compiled",
    "extract_partners",
    "head_starts",
    "heads",
    "make_doc",
    "name_to_entry",
    "patterns",
    "text_to_mentions",
]
