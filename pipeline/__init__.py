"""Document-extraction pipeline for NRW documents on the intercultural opening of public administration."""

__version__ = "0.1.0"
