"""A second, made-up municipality (four named units, its own plan) runs end to end with no Elbasan text.

The folder is chosen when a process starts, so the run is a process of its own
(``tests/madeup_run.py``): init, import, incidents, review, pack, export and the analyses on
the command line, then every page in Albanian and English for an administrator. Every text
they show (element messages, table cells, map data, the pack's PDF) is searched for Elbasan's
words and plan numbers; the made-up municipality's own names must be there instead.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import madeup

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("qyteza")
    folder = madeup.build(tmp / "files")
    work = tmp / "work"
    work.mkdir()
    env = {**os.environ, "HOTSPOTS_MUNICIPALITY": str(folder), "HOTSPOTS_DB": str(work / "app.sqlite"),
           "HOTSPOTS_DATA_DIR": str(work), "HOTSPOTS_TODAY": "2026-01-20"}
    env.pop("HOTSPOTS_LANG", None)
    env.pop("HOTSPOTS_FIRST_PERIOD", None)  # the folder's plan gives it: adopted 2025-03-10, so 2025-H1
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "madeup_run.py"), str(work), str(tmp / "out.json")],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads((tmp / "out.json").read_text(encoding="utf-8"))
    return result


def _as_word(word: str) -> str:
    """Return a pattern finding ``word`` on its own: not inside a hash or a longer number ("…801-632…")."""
    after = r"(?![0-9])" if word[-1].isdigit() else ""
    before = r"(?<![0-9A-Za-z])" if word[0].isalnum() else ""
    return before + re.escape(word) + after


def _all_texts(outputs: dict[str, Any]) -> dict[str, str]:
    texts = {"cli " + " ".join(c["args"][2:]) + f" ({c['args'][1]})": c["out"] + c["err"] for c in outputs["cli"]}
    texts |= {"pack (sq)": outputs["pdf_sq"], "pack (en)": outputs["pdf_en"]}
    texts |= {f"page {name} ({lang})": "\n".join(page["texts"])
              for lang, pages in outputs["pages"].items() for name, page in pages.items()}
    return texts


def test_every_command_and_page_runs(outputs: dict[str, Any]) -> None:
    assert [(c["args"], c["code"]) for c in outputs["cli"] if c["code"] != 0] == []
    assert [(lang, name, page["exceptions"]) for lang, pages in outputs["pages"].items()
            for name, page in pages.items() if page["exceptions"]] == []
    assert "3 baseline hotspots loaded" in outputs["cli"][0]["out"]
    assert any("40" in c["out"] and c["args"][2:4] == ["incidents", "import"] for c in outputs["cli"])


def test_no_output_names_elbasan_its_units_or_its_plan_numbers(outputs: dict[str, Any]) -> None:
    leaks = []
    for where, text in _all_texts(outputs).items():
        assert text.strip(), f"{where} shows nothing"
        for word in madeup.ELBASAN_WORDS:
            if (found := re.search(_as_word(word), text)) is not None:
                leaks.append(f"{where}: {word!r} in …{text[max(0, found.start() - 60):found.end() + 40]}…")
    assert leaks == []


def test_the_made_up_municipality_is_named_instead(outputs: dict[str, Any]) -> None:
    texts = _all_texts(outputs)
    for lang in ("sq", "en"):
        pack = texts[f"pack ({lang})"]
        assert all(name in pack for name in madeup.UNIT_NAMES)  # the pack's table of changes by unit
        assert f"({madeup.CRIME})" in pack and f"({madeup.STREET_CHILDREN})" in pack
        assert all(name in texts[f"page map ({lang})"] for name in madeup.UNIT_NAMES)  # the units' layer and filter
        assert madeup.REFERENCES["camera_coverage"] in texts[f"page cameras ({lang})"]
        assert madeup.REFERENCES["cannabis"] in texts[f"page cannabis ({lang})"]
        assert "Qytez" in texts[f"page plan ({lang})"]  # the plan's title: "Qyteza", "Qytezës"
    assert "Local Council, 10 Mar 2025" in texts["pack (en)"]
    new = next(line for line in texts["cli export --format csv (en)"].splitlines() if line.startswith("H-"))
    assert ",Parku i ri," in new and f",{madeup.UNIT_NUMBERS['Perëndimi']},spatial join," in new  # its unit, found
