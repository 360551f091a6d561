"""Write geodata/example_incidents.csv: the seeded example incidents (EXAMPLE DATA, not real).

.venv/bin/python scripts/make_example_incidents.py [--seed 13] [-o FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hotspots.incidents import example  # noqa: E402


def main() -> None:
    """Write the example incident file from the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=example.SEED)
    parser.add_argument("-o", "--output", type=Path, default=example.EXAMPLE_FILE)
    args = parser.parse_args()
    path = example.write_example(args.output, seed=args.seed)
    print(f"example incidents written to {path} (seed {args.seed})")


if __name__ == "__main__":
    main()
