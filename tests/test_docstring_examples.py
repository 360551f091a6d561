"""Every ``Examples`` section of the library runs and prints what it says (issue 12).

Three had drifted from the code they document (``gi_star``'s z-scores, ``emerging.label_one``
and ``trends.trend_label`` on a tied series) and ``cli.terminal_safe``'s example was mangled
by an unescaped backslash; nothing ran them. Results checked against the library's own
known-answer tests (and esda for ``gi_star``), not against the docstrings.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import hotspots


def _library_modules() -> list[str]:
    """Return every module of the library but the Alembic revisions and the ``python -m`` entry point."""
    found = pkgutil.walk_packages(hotspots.__path__, "hotspots.")
    return sorted(m.name for m in found if ".migrations" not in m.name and m.name != "hotspots.__main__")


def test_every_docstring_example_gives_what_it_shows() -> None:
    failed, attempted = {}, 0
    for name in _library_modules():
        result = doctest.testmod(importlib.import_module(name), report=False)
        attempted += result.attempted
        if result.failed:
            failed[name] = result.failed
    assert failed == {}, f"docstring examples that fail, per module: {failed} (run pytest --doctest-modules MODULE)"
    assert attempted > 0
