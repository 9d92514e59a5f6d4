"""Tooling for the conda-forge infrastructure docs, in three layers imported only downward:
``core`` (model, inventory, evidence, security, explorer data) → ``sphinxext`` → ``cli``."""
