"""Extraction: pure functions from a cleaned document to fact rows, one module per table."""
