from __future__ import annotations

from hotspots.plan.model import Priority
from hotspots.plan.plan import load_plan


def test_ten_problems_with_priorities() -> None:
    plan = load_plan()
    assert [p.id for p in plan.problems] == [f"1.{i}" for i in range(1, 11)]
    expected = {"1.1": "moderate", "1.2": "moderate", "1.3": "moderate", "1.4": "high", "1.5": "high",
                "1.6": "low", "1.7": "high", "1.8": "moderate", "1.9": "high", "1.10": "high"}
    assert {p.id: str(p.priority) for p in plan.problems} == expected
    assert all(isinstance(p.priority, Priority) for p in plan.problems)


def test_updated_at_kvsp_flags_and_counts_of_activities() -> None:
    plan = load_plan()
    assert {p.id for p in plan.problems if p.updated_kvsp} == {"1.4", "1.5", "1.7", "1.10"}
    counts = {p.id: len(p.activities) for p in plan.problems}
    assert counts == {"1.1": 4, "1.2": 3, "1.3": 5, "1.4": 9, "1.5": 7, "1.6": 2, "1.7": 5, "1.8": 3, "1.9": 3, "1.10": 6}


def test_albanian_text_is_verbatim() -> None:
    plan = load_plan()
    assert plan.problem("1.10").title("sq") == "Fëmijët në situatë rruge"
    assert plan.problem("1.7").title("sq") == ("Zonat e “nxehta”/hotspotet për përdoruesit dhe shpërndarësit "
                                               "e drogës apo të krimit")
    assert plan.activity("1.7.5").text("sq") == ("Ndjekja në vazhdimësi të dinamikës së lëvizjes dhe ndryshimit "
                                                 "të zonave të “nxehta”")
    assert plan.activity("1.7.5").text("en").startswith("Follow continuously")


def test_figures_and_institutions() -> None:
    plan = load_plan()
    assert plan.problem("1.4").figures[0]["values"] == {"year": 2021, "cases": 63, "perpetrators": 102}
    assert plan.problem("1.5").figures[0]["values"]["cases"] == 56
    names = plan.institution_names(plan.problem("1.10"), "sq")
    assert "Drejtoria e Shërbimit Social" in names and "Prokuroria e Rrethit Gjyqësor" in names
    assert plan.institution_names(plan.problem("1.7"), "en")[-1] == "NGOs"
