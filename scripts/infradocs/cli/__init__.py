"""The command lines: ``python -m infradocs.cli.NAME`` for each module here."""
