"""``python -m inventory``: the extractor's command line."""

import sys

from .cli import main

sys.exit(main())
