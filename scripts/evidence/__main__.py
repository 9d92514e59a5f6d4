"""``python -m evidence verify``: see evidence.cli."""

import sys

from .cli import main

sys.exit(main())
