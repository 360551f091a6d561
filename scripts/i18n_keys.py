"""List the keys of ``hotspots.i18n.TEXT`` that no code uses, and the keys only built at run time.

A key is *used* when a string literal of the app (``hotspots/``, ``pages/``, ``app.py``)
equals it, or equals it without the ``_one``/``_many`` ending that ``plural``/``tn`` add.
Keys built at run time (``t(f"cat_{c}")``, ``"dir_" + x``) cannot be checked: every key
starting with such a constant prefix is listed as *dynamic*, with its prefix, for a person
to judge (issue 12 replaces built keys with explicit maps).

    .venv/bin/python scripts/i18n_keys.py
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotspots.i18n import TEXT  # noqa: E402

#: Endings added to a key by ``plural`` and ``tn``.
PLURAL_ENDINGS: tuple[str, ...] = ("_one", "_many")


@dataclass
class Uses:
    """String literals and the constant prefixes of strings built at run time."""

    literals: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)


def _is_text_table(node: ast.AST) -> bool:
    """Whether ``node`` assigns the ``TEXT`` table itself (its keys are definitions, not uses)."""
    target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
    return isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(target, ast.Name) and target.id == "TEXT"


def _prefix(node: ast.AST) -> str | None:
    """The constant start of an f-string or of ``"x_" + y``, else None."""
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant) \
            and isinstance(node.left.value, str):
        return node.left.value
    return None


def collect(paths: list[Path]) -> Uses:
    """Return the string literals and dynamic prefixes found in ``paths``."""
    uses = Uses()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skip = {id(n) for top in ast.walk(tree) if _is_text_table(top) for n in ast.walk(top)}
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                uses.literals.add(node.value)
            prefix = _prefix(node)
            if prefix:
                uses.prefixes.add(prefix)
    return uses


def app_sources() -> list[Path]:
    """Return the Python files of the app (library, pages, entry point)."""
    return sorted([*(ROOT / "hotspots").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])


def classify(keys: set[str], uses: Uses) -> tuple[set[str], dict[str, str]]:
    """Return the unused keys, and the dynamic keys with the prefix that may build each."""
    unused: set[str] = set()
    dynamic: dict[str, str] = {}
    for key in keys:
        stems = {key, *(key.removesuffix(e) for e in PLURAL_ENDINGS if key.endswith(e))}
        if stems & uses.literals:
            continue
        prefix = max((p for p in uses.prefixes if key.startswith(p)), key=len, default=None)
        if prefix is not None:
            dynamic[key] = prefix
        else:
            unused.add(key)
    return unused, dynamic


def main() -> int:
    """Print the report; exit 1 if a key is unused."""
    uses = collect(app_sources())
    unused, dynamic = classify(set(TEXT), uses)
    print(f"{len(TEXT)} keys; {len(unused)} unused; {len(dynamic)} only built at run time "
          f"({len(set(dynamic.values()))} prefixes)")
    for key in sorted(unused):
        print(f"unused\t{key}")
    for key, prefix in sorted(dynamic.items(), key=lambda kv: (kv[1], kv[0])):
        print(f"dynamic\t{prefix}*\t{key}")
    return 1 if unused else 0


if __name__ == "__main__":
    sys.exit(main())
