"""What every command group shares: the author of a write, the dataset asked for, tables, safe terminal text."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from hotspots.base import settings
from hotspots.plan import exchange


if TYPE_CHECKING:
    import pandas as pd


def author_of(args: argparse.Namespace) -> str:
    """Return the author a write is recorded under: ``--author``, ``HOTSPOTS_AUTHOR``, or ``cli:<login>``."""
    return args.author or settings.author() or f"cli:{getpass.getuser()}"


def terminal_safe(text: str) -> str:
    r"""Return ``text`` safe for a terminal, so stored data cannot drive it.

    Control characters (escape sequences, NUL, bell…) other than newline and tab are replaced by ``?``.

    Examples
    --------
    >>> terminal_safe("a\x1b[2Jb\n")
    'a?[2Jb\n'
    """
    return "".join("?" if (ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 or 0xD800 <= ord(c) <= 0xDFFF
                   else c for c in text)


def dataset_of(args: argparse.Namespace) -> str:
    """Return the dataset a command reads: ``example`` with ``--example``, else ``real``."""
    return "example" if args.example else "real"


def print_table(frame: "pd.DataFrame", fmt: str) -> None:
    """Write ``frame`` to stdout as CSV (formulas neutralised) or JSON records; terminal-safe on a terminal."""
    if fmt == "json":
        text = frame.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    else:  # spreadsheet-safe, as every CSV export (OWASP CSV injection)
        text = frame.map(exchange.neutralise_formula).to_csv(index=False)
    sys.stdout.write(terminal_safe(text) if sys.stdout.isatty() else text)
