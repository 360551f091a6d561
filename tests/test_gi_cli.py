"""The command line of issue 14, run in-process: detect, emerging, displacement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotspots.cli import commands as cli


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("gicli") / "cli.sqlite")
    assert cli.main(["--db", path, "--author", "t", "demo", "load"]) == 0
    return path


def test_detect_prints_geojson_and_csv(db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    capsys.readouterr()
    assert cli.main(["--db", db, "detect", "--period", "2023-H2", "--example"]) == 0
    features = json.loads(capsys.readouterr().out)["features"]
    labels = [f["properties"]["label"] for f in features]
    assert labels.count("hot_99") >= 9 and len(features) > 500
    assert {"cell", "count", "z", "p", "p_fdr", "label"} <= set(features[0]["properties"])
    out = tmp_path / "cells.csv"
    assert cli.main(["--db", db, "detect", "--period", "2023-H2", "--cell", "200", "--format", "csv",
                     "--aggregate", "--example", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("cell,count,z,p,p_fdr,label,wkt") and "hot_99" in text and ",<5," in text
    capsys.readouterr()  # protected: every class at once, one half-year; a class or another window is refused
    assert cli.main(["--db", db, "detect", "--period", "2023-H2", "--class", "drugs", "--aggregate", "--example"]) == 2
    assert cli.main(["--db", db, "--lang", "en", "detect", "--period", "2023-Q3", "--aggregate", "--example"]) == 2
    assert "exactly one half-year" in capsys.readouterr().err


def test_detect_refuses_a_bad_period_in_words(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli.main(["--db", db, "--lang", "en", "detect", "--period", "soon", "--example"]) == 2
    assert "Period “soon” is not understood" in capsys.readouterr().err


def test_emerging_labels_the_planted_steady_cluster(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli.main(["--db", db, "emerging", "--step", "quarter", "--example"]) == 0
    features = json.loads(capsys.readouterr().out)["features"]
    labels = {f["properties"]["label"] for f in features}
    assert "persistent" in labels and "no_pattern" not in labels
    assert all(f["properties"]["steps"] == 12 for f in features)


def test_displacement_reads_the_castle_in_words(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli.main(["--db", db, "--lang", "en", "displacement", "--hotspot", "EX-1.7-05", "--before", "2023-H2",
                     "--after", "2024-H1", "--class", "drugs", "--format", "json", "--example"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    # 7 -> 3 against a steady rest of the city: within chance (exact p 0.19), so no success is claimed
    assert row["target_before"] > row["target_after"] and row["reading"] == "no_success"
    assert abs(row["p_target"] - 0.1907) < 1e-3 and row["control_before"] > 0
    assert row["in_words"].startswith("Relative to the rest of the city") and "7 → 3" in row["in_words"]
    assert cli.main(["--db", db, "displacement", "--hotspot", "H-none", "--before", "2023-H2", "--after", "2024-H1",
                     "--example"]) == 2
