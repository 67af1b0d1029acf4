"""The commitments table: numbered commitments and the partner that made them (`partner`).
"""

from pipeline.extract.commitments.extract import commitment_patterns, extract_commitments, target_year
from pipeline.extract.commitments.partner import text_to_committing_partner

__all__ = [
    "commitment_patterns",
    "extract_commitments",
    "target_year",
    "text_to_committing_partner",
]
