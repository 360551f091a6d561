"""The house rule (README "Layout"), checked on the import graph of the package's syntax trees.

A module imports its own package and the layers below it, never a layer above nor a sibling of
its own layer; there are no cycles; Streamlit only in ``app/`` and the launcher, folium only in
map modules, SQLAlchemy only in ``db/`` and the store modules; no function-level import of our own
modules unless a comment on that line says why. Each rule is also run on a small made-up package
that breaks it, so the checks are shown to catch what they are for.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: The layers, lowest first. A package imports its own modules and any package of a lower layer;
#: packages of one layer (incidents and places; app and cli) never import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("base",),
    ("db",),
    ("accounts",),
    ("plan",),
    ("maps",),
    ("incidents", "places"),
    ("evidence",),
    ("review",),
    ("app", "cli"),
)
#: Modules at the package's root: the launchers, above every layer.
LAUNCHERS: frozenset[str] = frozenset({"__init__", "__main__", "serve"})
#: Third-party libraries and where they may be imported at run time (imports for types only,
#: under ``if TYPE_CHECKING:``, never run and are not counted).
STREAMLIT = ("streamlit", "streamlit_folium")
FOLIUM = ("folium", "branca")
SQLALCHEMY = ("sqlalchemy", "alembic")
#: The store modules: the SQL of one concern each, through a connection.
STORE_MODULES: frozenset[str] = frozenset({
    "accounts.auth", "accounts.sessions", "plan.observations", "plan.plan_state", "plan.store",
    "incidents.table", "places.store",
})
#: A function-level import of our own modules is allowed only with this on its line, saying why.
LATE_IMPORT_MARK = "# late import:"


@dataclass(frozen=True)
class Import:
    """One import statement of a module, resolved to the names it brings in."""

    module: str  #: the importing module, dotted below the package (``maps.builders``)
    target: str  #: the imported module or library, dotted (``plan.units``; ``folium``)
    ours: bool  #: whether ``target`` is a module of the package
    line: int
    late: bool  #: inside a function
    typing_only: bool  #: under ``if TYPE_CHECKING:``
    text: str  #: the source line


def modules(package: Path) -> dict[str, Path]:
    """Return every module of ``package`` by its dotted name below it (``__init__`` for the root)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(package: Path, name: str = "hotspots") -> Iterator[Import]:
    """Yield every import of every module of ``package`` (imported as ``name``)."""
    known = modules(package)
    for module, path in known.items():
        yield from module_imports(module, path, known, name)


def module_imports(module: str, path: Path, known: Mapping[str, Path], name: str) -> Iterator[Import]:
    """Yield the imports of one module (``module``, at ``path``) of a package whose modules are ``known``."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    here = "" if module == "__init__" else module if path.name == "__init__.py" else module.rpartition(".")[0]

    def ours(dotted: str) -> str | None:
        """Return the module of ours ``dotted`` names (a module, or a name inside one), or None for a library."""
        if dotted != name and not dotted.startswith(name + "."):
            return None
        below = dotted[len(name) + 1:]
        while below and below not in known:
            below = below.rpartition(".")[0]
        return below or "__init__"

    def targets(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        base = node.module or ""
        if node.level:
            parts = here.split(".") if here else []
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join([name, *parts, *([base] if base else [])])
        # "from hotspots.plan import units" brings in the module plan.units, not the package plan
        return [f"{base}.{alias.name}" if ours(f"{base}.{alias.name}") == f"{base}.{alias.name}"[len(name) + 1:]
                else base for alias in node.names]

    def visit(node: ast.AST, late: bool, typing_only: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in targets(child):
                    mine = ours(target)
                    if mine is None:
                        yield Import(module, target.split(".")[0], False, child.lineno, late, typing_only,
                                     lines[child.lineno - 1])
                    elif mine != module:
                        yield Import(module, mine, True, child.lineno, late, typing_only, lines[child.lineno - 1])
            yield from visit(child, late or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)),
                             typing_only or (isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)))

    yield from visit(ast.parse(source), False, False)


def layer_of(module: str, layers: tuple[tuple[str, ...], ...] = LAYERS) -> tuple[int, str] | None:
    """Return (layer index, package) of a module, or None for a launcher."""
    package = module.split(".")[0]
    for index, packages in enumerate(layers):
        if package in packages:
            return index, package
    return None


def layering_problems(found: list[Import], layers: tuple[tuple[str, ...], ...] = LAYERS,
                      launchers: frozenset[str] = LAUNCHERS) -> list[str]:
    """Return every import that goes up a layer or sideways to a sibling, and every module outside the layers."""
    problems = []
    for imp in found:
        if not imp.ours:
            continue
        source, target = layer_of(imp.module, layers), layer_of(imp.target, layers)
        if source is None:
            if imp.module not in launchers:
                problems.append(f"{imp.module}: in no layer")
            continue
        if target is None:
            problems.append(f"{imp.module}:{imp.line} imports the launcher {imp.target}")
        elif target[0] > source[0]:
            problems.append(f"{imp.module}:{imp.line} imports {imp.target} of a higher layer ({target[1]} over {source[1]})")
        elif target[0] == source[0] and target[1] != source[1]:
            problems.append(f"{imp.module}:{imp.line} imports {imp.target} of its sibling {target[1]}")
    return problems


def cycles(found: list[Import]) -> list[list[str]]:
    """Return the import cycles among our modules (strongly connected components of two or more, or a self-loop)."""
    graph: dict[str, set[str]] = {}
    for imp in found:
        if imp.ours:
            graph.setdefault(imp.module, set()).add(imp.target)
            graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def library_problems(found: list[Import], allowed: Mapping[tuple[str, ...], object]) -> list[str]:
    """Return every run-time import of a library outside the modules ``allowed`` (a predicate per library group)."""
    problems = []
    for imp in found:
        if imp.ours or imp.typing_only:
            continue
        for libraries, may in allowed.items():
            if imp.target in libraries and not may(imp.module):  # type: ignore[operator]
                problems.append(f"{imp.module}:{imp.line} imports {imp.target}")
    return problems


def is_map_module(module: str) -> bool:
    """Return whether ``module`` is a map module: the maps package, or a feature's ``maps`` or ``*_maps`` module."""
    last = module.rpartition(".")[2]
    return module.split(".")[0] == "maps" or last == "maps" or last.endswith("_maps")


ALLOWED = {
    STREAMLIT: lambda m: m.split(".")[0] == "app" or m == "serve",
    FOLIUM: is_map_module,
    SQLALCHEMY: lambda m: m.split(".")[0] == "db" or m in STORE_MODULES,
}


def late_problems(found: list[Import]) -> list[str]:
    """Return every function-level import of our own modules without a comment saying why."""
    return [f"{imp.module}:{imp.line} {imp.text.strip()}" for imp in found
            if imp.ours and imp.late and LATE_IMPORT_MARK not in imp.text]


@pytest.fixture(scope="module")
def found() -> list[Import]:
    return list(imports(ROOT / "hotspots"))


def test_every_module_imports_only_its_package_and_the_layers_below(found: list[Import]) -> None:
    assert sum(i.ours for i in found) > 300 and {"streamlit", "folium", "sqlalchemy"} <= {i.target for i in found}
    assert layering_problems(found) == []


def test_there_is_no_import_cycle(found: list[Import]) -> None:
    assert cycles(found) == []


def test_streamlit_folium_and_sqlalchemy_stay_where_they_belong(found: list[Import]) -> None:
    assert library_problems(found, ALLOWED) == []


def test_no_function_level_import_of_our_modules(found: list[Import]) -> None:
    assert late_problems(found) == []


def test_every_package_is_in_a_layer_and_every_layer_exists() -> None:
    packages = {p.name for p in (ROOT / "hotspots").iterdir() if (p / "__init__.py").is_file()}
    assert packages == {name for layer in LAYERS for name in layer}


def test_pages_hold_no_sql_and_no_map_building() -> None:
    # pages are UI only: they read inputs, call hotspots and show results
    for page in [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]:
        tree = ast.parse(page.read_text(encoding="utf-8"))
        names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not names & {"sqlalchemy", "sqlite3", "folium", "shapely", "pyproj"}, page.name


def test_no_module_is_over_500_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "hotspots").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


# -- the checks, shown to catch what they are for ------------------------------------------------------
def fake_package(tmp_path: Path, files: Mapping[str, str]) -> Path:
    """Write a made-up package ``hotspots`` of ``files`` (path below it: source) under ``tmp_path``."""
    package = tmp_path / "hotspots"
    for relative, text in {"__init__.py": "", **files}.items():
        path = package / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        for parent in path.relative_to(package).parents:
            init = package / parent / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
    return package


GOOD = {
    "base/settings.py": "X = 1\n",
    "plan/model.py": "from hotspots.base import settings\n",
    "maps/builders.py": "import folium\nfrom hotspots.plan import model\n",
}


def test_the_made_up_package_that_keeps_the_rule_passes(tmp_path: Path) -> None:
    found = list(imports(fake_package(tmp_path, GOOD)))
    assert sorted(i.target for i in found if i.ours) == ["base.settings", "plan.model"]
    assert layering_problems(found) == [] and cycles(found) == [] and library_problems(found, ALLOWED) == []
    assert late_problems(found) == []


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    package = fake_package(tmp_path, {**GOOD, "plan/units.py": "from hotspots.maps.builders import X\n"})
    assert layering_problems(list(imports(package))) == [
        "plan.units:1 imports maps.builders of a higher layer (maps over plan)"]


def test_a_sibling_import_is_caught(tmp_path: Path) -> None:
    package = fake_package(tmp_path, {**GOOD, "places/cameras.py": "from hotspots.incidents import counts\n",
                                      "incidents/counts.py": ""})
    assert layering_problems(list(imports(package))) == [
        "places.cameras:1 imports incidents.counts of its sibling incidents"]


def test_an_added_cycle_is_caught_even_behind_a_function_level_import(tmp_path: Path) -> None:
    package = fake_package(tmp_path, {
        **GOOD,
        "base/settings.py": "def languages():\n    from hotspots.base import i18n\n    return i18n.LANGUAGES\n",
        "base/i18n.py": "from hotspots.base import settings\nLANGUAGES = ('sq', 'en')\n",
    })
    found = list(imports(package))
    assert cycles(found) == [["base.i18n", "base.settings"]]
    assert late_problems(found) == ["base.settings:2 from hotspots.base import i18n"]
    assert layering_problems(found) == []  # one layer: only the cycle check sees it


def test_a_late_import_with_its_reason_is_allowed(tmp_path: Path) -> None:
    package = fake_package(tmp_path, {**GOOD, "plan/views.py": (
        "def f():\n    from hotspots.plan import model  # late import: a made-up reason\n    return model\n")})
    assert late_problems(list(imports(package))) == []


def test_libraries_out_of_place_are_caught_but_not_for_types_only(tmp_path: Path) -> None:
    package = fake_package(tmp_path, {
        **GOOD,
        "plan/views.py": "import streamlit as st\nimport folium\nimport sqlalchemy as sa\n",
        "plan/editing.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sqlalchemy.engine import Connection\n",
        "plan/observations.py": "import sqlalchemy as sa\n",
        "incidents/maps.py": "import folium\n",
        "app/session.py": "import streamlit as st\n",
    })
    assert library_problems(list(imports(package)), ALLOWED) == [
        "plan.views:1 imports streamlit", "plan.views:2 imports folium", "plan.views:3 imports sqlalchemy"]


def test_relative_imports_resolve_like_absolute_ones(tmp_path: Path) -> None:
    package = fake_package(tmp_path, {**GOOD, "base/labels.py": "from . import settings\nfrom ..maps import builders\n"})
    found = [i for i in imports(package) if i.module == "base.labels"]
    assert [i.target for i in found] == ["base.settings", "maps.builders"]
    assert layering_problems(found) == ["base.labels:2 imports maps.builders of a higher layer (maps over base)"]
