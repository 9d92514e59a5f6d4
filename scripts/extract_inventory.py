#!/usr/bin/env python3
"""Thin entry point: ``python scripts/extract_inventory.py [options] SOURCE...``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inventory.cli import main

if __name__ == "__main__":
    sys.exit(main())
