"""Re-check the evidence of the model's facts (and of prose claims) against the repositories."""

import time

STARTED = time.perf_counter()  # before any import of ours: the wall time --bench reports
