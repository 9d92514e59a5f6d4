"""Re-check the evidence of the model's facts (and of prose claims) against the repositories."""
