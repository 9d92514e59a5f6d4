"""CLI: ``python -m links check|internal|bench`` (see ``--help``)."""

from links.cli import main

raise SystemExit(main())
