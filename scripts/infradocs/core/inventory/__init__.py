"""Service inventory extractor: which CI providers, secrets and services each repository uses."""

SCHEMA_VERSION = 1
# Bumped whenever extraction rules change, so cached facts from older rules are not reused.
EXTRACTOR_VERSION = "2"
