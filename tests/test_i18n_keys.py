"""Every i18n key is used by the app (scripts/i18n_keys.py), built-at-run-time keys listed apart."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from hotspots.i18n import TEXT

from .conftest import ROOT


def _finder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_keys", ROOT / "scripts" / "i18n_keys.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_the_finder_tells_literal_plural_dynamic_and_unused_keys(tmp_path: Path) -> None:
    finder = _finder()
    source = tmp_path / "x.py"
    source.write_text('TEXT = {"never": 1}\nt("a_b")\nplural("c", n)\nt(f"d_{x}")\nt("e_" + y)\n')
    uses = finder.collect([source])
    keys = {"a_b", "c_one", "c_many", "d_e", "e_f", "never", "z"}
    unused, dynamic = finder.classify(keys, uses)
    assert unused == {"never", "z"}  # a key of the TEXT table itself is a definition, not a use
    assert dynamic == {"d_e": "d_", "e_f": "e_"}


def test_no_i18n_key_is_unused() -> None:
    finder = _finder()
    unused, dynamic = finder.classify(set(TEXT), finder.collect(finder.app_sources()))
    assert unused == set(), f"keys no code uses (delete them, or use them): {sorted(unused)}"
    assert dynamic  # built keys exist until issue 12's explicit maps replace them; the script lists them
