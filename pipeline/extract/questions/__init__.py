"""The questions table: the numbered questions of a Kleine Anfrage with the government's answer to each.
"""

from pipeline.extract.questions.extract import extract_questions, question_end

__all__ = [
    "extract_questions",
    "question_end",
]
