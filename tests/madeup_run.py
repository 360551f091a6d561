"""Run the app end to end on the municipality ``HOTSPOTS_MUNICIPALITY`` names; write every output to a JSON file.

Run by ``tests/test_other_municipality.py`` in a process of its own (the folder is read when
:mod:`hotspots.base.settings` is imported): ``python tests/madeup_run.py WORK OUT.json``.
The command line (init, import, incidents, review, pack, export), every page in both
languages for an administrator, the pack's PDF and the exports are captured as text.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

from google.protobuf.json_format import MessageToJson
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotspots.accounts import navigation  # noqa: E402  # after the path: run as a script
from hotspots.cli.commands import main as cli  # noqa: E402
from tests import apptest, madeup  # noqa: E402


def _cli(*args: str) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return {"args": list(args), "code": code, "out": out.getvalue(), "err": err.getvalue()}


def _texts(node: Any) -> list[str]:
    """Every text one element tree shows: each element's message, and each table's cells."""
    found: list[str] = []
    proto = getattr(node, "proto", None)
    if proto is not None and not hasattr(node, "children"):
        found.append(MessageToJson(proto, ensure_ascii=False) if hasattr(proto, "DESCRIPTOR") else str(proto))
    if type(node).__name__ in ("Dataframe", "Table"):
        found.append(node.value.to_csv(index=False))
    for child in getattr(node, "children", {}).values():
        found.extend(_texts(child))
    return found


def _pages(lang: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, *_ in navigation.PAGES:
        at = apptest.logged_in(None, lang)
        apptest.login(at, f"admin_{lang}_{name}", "admin")  # a fresh app per page: no widget state carried over
        at.switch_page(f"pages/{name}.py").run(timeout=180)
        maps = apptest.map_scripts(at) if (at.get("component_instance") or at.get("bidi_component")) else ""
        out[name] = {"exceptions": [e.value for e in at.exception], "texts": _texts(at._tree) + [maps]}
    return out


def run(work: Path) -> dict[str, Any]:
    """Run every command and page once; return what each showed."""
    (work / "incidents.csv").write_text(madeup.incidents_csv(), encoding="utf-8")
    result: dict[str, Any] = {"cli": [_cli("--lang", "sq", "init")]}
    added = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {
        "type": "Point", "coordinates": list(madeup.INSIDE["Perëndimi"])}, "properties": {
        "category": "crime", "name": "Parku i ri", "period": "2025-H2", "status": "active",
        "location_quality": "exact", "location_source": "GPS i stafit"}}]}
    (work / "new.geojson").write_text(json.dumps(added, ensure_ascii=False), encoding="utf-8")
    for lang in ("sq", "en"):
        result["cli"] += [
            _cli("--lang", lang, "import", str(work / "new.geojson")) if lang == "sq" else _cli("--lang", lang, "units", "check"),
            _cli("--lang", lang, "incidents", "import", str(work / "incidents.csv")),
            _cli("--lang", lang, "review", "status", "--period", "2025-H2"),
            _cli("--lang", lang, "pack", "--from", "2025-H1", "--to", "2025-H2", "-o", str(work / f"pack-{lang}.pdf")),
            _cli("--lang", lang, "export", "--format", "csv"),
            _cli("--lang", lang, "incidents", "counts"),
            _cli("--lang", lang, "evidence", "compstat", "--period", "2025-H2"),
            _cli("--lang", lang, "movement", "--from", "2025-H1", "--to", "2025-H2"),
        ]
        result[f"pdf_{lang}"] = "\n".join(page.extract_text() for page in PdfReader(work / f"pack-{lang}.pdf").pages)
    result["pages"] = {lang: _pages(lang) for lang in ("sq", "en")}
    return result


if __name__ == "__main__":
    work_dir, out_file = Path(sys.argv[1]), Path(sys.argv[2])
    out_file.write_text(json.dumps(run(work_dir), ensure_ascii=False, indent=1), encoding="utf-8")
