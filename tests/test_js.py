"""The map's own JavaScript (``static/js``): parsed by node, unit-tested by node, and fed the real payload.

node is Debian's ``nodejs`` (installed by ``make install-test``); no npm package is used.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.test_maps import HOSTILE

from hotspots.maps import payloads as map_payloads
from hotspots.maps import scripts as map_scripts
from hotspots.plan.plan import load_plan
from hotspots.plan.store import Store


ROOT = Path(__file__).resolve().parents[1]
JS_TESTS = ROOT / "tests" / "js"
SCRIPTS = sorted(map_scripts.JS_DIR.glob("*.js"))
#: The app page's own scripts (Streamlit components), beside the map's.
COMPONENTS = sorted((map_scripts.JS_DIR.parent / "components").glob("*.js"))


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: `make install-test` installs Debian's nodejs (the map's scripts are checked with it)")
    return node


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_node(), *args], input=stdin, capture_output=True, text=True, timeout=60, check=False)


def test_every_script_is_listed_and_exists() -> None:
    assert sorted(map_scripts.SCRIPTS.values()) == [p.name for p in SCRIPTS]
    with pytest.raises(ValueError, match="hs_hotspot_layer"):
        map_scripts.script("nope")


@pytest.mark.parametrize("path", SCRIPTS + COMPONENTS + sorted(JS_TESTS.glob("*.js")), ids=lambda p: p.name)
def test_node_check_parses_the_script(path: Path) -> None:
    result = _run("--check", str(path))
    assert result.returncode == 0, result.stderr


def test_node_unit_tests_pass() -> None:
    result = _run("--test", "--test-reporter=tap", *map(str, sorted(JS_TESTS.glob("*.test.js"))))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout and "# pass 0" not in result.stdout


class _Popup(HTMLParser):
    """Collect the tags and the text of a popup, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.bold = ""
        self._in_bold = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in_bold = tag == "b"

    def handle_endtag(self, tag: str) -> None:
        self._in_bold = False

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._in_bold:
            self.bold += data


def _text(html: str) -> str:
    popup = _Popup()
    popup.feed(html)
    return popup.text


def test_the_real_payload_with_a_hostile_name_gives_popups_that_show_it_as_text(store: Store) -> None:
    gdf = store.hotspots(period="2022-H1").copy()
    gdf.loc[gdf["id"] == "H-1.7-04", ["name", "name_en", "location_source"]] = HOSTILE
    payload = map_payloads.hotspot_payload(gdf, lang="en")
    payload["inc"] = ["12 in 2023-H2 <b>"] * len(payload["id"])
    problems = map_payloads.problem_payload(load_plan(), {}, "en", payload["problems"])
    data = {"payload": payload, "problems": problems, "labels": map_payloads.popup_labels("en")}
    result = _run(str(JS_TESTS / "render-popups.js"), stdin=json.dumps(data))
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert len(shown) == len(payload["id"]) == 6
    row = payload["id"].index("H-1.7-04")
    for i, item in enumerate(shown):
        popup = _Popup()
        popup.feed(item["popup"])
        assert popup.tags <= {"div", "b", "br", "i", "ol", "li"}, popup.tags
        assert popup.bold == payload["name"][i]  # the name, exactly, as text
        assert f"{data['labels']['pp_incidents']}: 12 in 2023-H2 <b>" in popup.text
        tooltip = _Popup()
        tooltip.feed(item["tooltip"])
        assert not tooltip.tags and tooltip.text == f"{payload['id'][i]} · {payload['name'][i]}"
    hostile = shown[row]["popup"]
    assert "<img" not in hostile and "<script" not in hostile and "`" not in hostile and "\\" not in hostile
    assert _text(hostile).count(HOSTILE) == 2  # the name and the source, as text
