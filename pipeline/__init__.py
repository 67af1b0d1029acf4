"""Document-extraction pipeline for NRW documents on the intercultural opening of public administration."""

import os

# The pipeline does no linear algebra: numpy's OpenBLAS would start a thread per core at its import, which spin
# for ~0.1 CPU-seconds per process and compete with the workers for the cores. A user's own setting is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
