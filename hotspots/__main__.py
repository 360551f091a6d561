"""Entry point of ``python -m hotspots``."""

from __future__ import annotations

import sys

from hotspots.cli.commands import main


if __name__ == "__main__":
    sys.exit(main())
