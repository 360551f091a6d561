"""Plan versions: amendments from a period on, priorities for the next period, a new plan from the old, reviews citing theirs.

Every test runs on each backend (SQLite and PostGIS). Today is set to 2023-02-01 (the half-year
2023-H1 of the first plan, 2022-H1 … 2024-H2) unless a test moves it.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hotspots.base.errors import ConflictError, HotspotError, NotFoundError, ValidationError
from hotspots.db.schema import HISTORY
from hotspots.plan import editing, versions, views
from hotspots.plan.plan import load_plan
from hotspots.plan.store import Store

MEETING = {"meeting": "KVSP, mbledhja e 20 janarit 2023", "decided_on": "2023-01-20"}


@pytest.fixture()
def store(backend_store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("HOTSPOTS_TODAY", "2023-02-01")
    return backend_store


def _history(store: Store, action: str) -> list[sa.Row[tuple[str, str, str | None]]]:
    with store.read() as conn:
        return list(conn.execute(sa.select(HISTORY.c.author, HISTORY.c.entity_id, HISTORY.c.period).where(
            HISTORY.c.action == action)).all())


def test_version_one_is_the_folders_plan_until_amended(store: Store) -> None:
    [first] = versions.versions(store)
    assert (first.number, first.adopted_on, first.first_period, first.last_period) == (1, "2022-02-03", "2022-H1",
                                                                                       "2024-H2")
    assert versions.plan_for(store, "2023-H1") == load_plan()


def test_an_added_activity_is_in_force_from_its_period_on_with_its_meeting_and_author(store: Store) -> None:
    before = [a.id for a in load_plan().problem("1.7").activities]
    change = versions.amend(store, "add_activity", "1.7", effective_period="2023-H2", author="ana",
                            text_sq="Ndriçimi i rrugëve në zonat e nxehta", text_en="Street lighting in the hot zones",
                            reason="kërkesë e komunitetit", **MEETING)
    assert (change.version, change.action, change.created_by, change.meeting) == (1, "add_activity", "ana",
                                                                                  MEETING["meeting"])
    assert [a.id for a in versions.plan_for(store, "2023-H1").problem("1.7").activities] == before
    later = versions.plan_for(store, "2024-H1").problem("1.7")
    assert [a.id for a in later.activities] == [*before, "1.7.6"]
    assert later.activities[-1].text("sq") == "Ndriçimi i rrugëve në zonat e nxehta"
    assert later.changed_at == (f"{MEETING['meeting']} (2023-01-20)",)  # what the council meeting changed
    assert versions.plan_for(store, "2024-H1").problem("1.6").changed_at == ()
    assert _history(store, "plan add_activity") == [("ana", "v1:1.7", "2023-H2")]
    assert len(_history(store, "plan adopt")) == 1  # version 1 stored with the first change


def test_a_retired_activity_keeps_the_numbers_of_the_others_and_a_retired_problem_leaves(store: Store) -> None:
    versions.amend(store, "retire_activity", "1.7.2", effective_period="2023-H2", author="ana", **MEETING)
    versions.amend(store, "retire_problem", "1.2", effective_period="2024-H1", author="ana", **MEETING)
    assert "1.7.2" in [a.id for a in versions.plan_for(store, "2023-H1").problem("1.7").activities]
    assert [a.id for a in versions.plan_for(store, "2023-H2").problem("1.7").activities] == [
        "1.7.1", "1.7.3", "1.7.4", "1.7.5"]
    versions.amend(store, "add_activity", "1.7", effective_period="2023-H2", author="ana", text_sq="E re", **MEETING)
    assert versions.plan_for(store, "2023-H2").problem("1.7").activities[-1].id == "1.7.6"  # 1.7.2 is not reused
    assert "1.2" in [p.id for p in versions.plan_for(store, "2023-H2").problems]
    assert "1.2" not in [p.id for p in versions.plan_for(store, "2024-H1").problems]
    with pytest.raises(NotFoundError):
        versions.amend(store, "add_activity", "1.2", effective_period="2024-H1", author="ana", text_sq="x", **MEETING)


def test_a_new_problem_is_added_with_its_priority_and_institutions(store: Store) -> None:
    versions.amend(store, "add_problem", "1.11", effective_period="2023-H2", author="ana", text_sq="Siguria rrugore",
                   text_en="Road safety", priority="moderate", institutions=("police", "municipality"), **MEETING)
    added = versions.plan_for(store, "2023-H2").problem("1.11")
    assert (added.title("en"), str(added.priority), added.institutions, added.activities) == (
        "Road safety", "moderate", ("police", "municipality"), ())
    versions.amend(store, "add_activity", "1.11", effective_period="2023-H2", author="ana", text_sq="Sinjalistika",
                   **MEETING)
    assert [a.id for a in versions.plan_for(store, "2023-H2").problem("1.11").activities] == ["1.11.1"]
    with pytest.raises(ConflictError):
        versions.amend(store, "add_problem", "1.11", effective_period="2024-H1", author="ana", text_sq="x",
                       priority="low", institutions=("police",), **MEETING)


def test_a_priority_changed_for_the_next_period_takes_effect_there_and_after(store: Store) -> None:
    plan = load_plan()
    assert str(plan.problem("1.3").priority) == "moderate"
    versions.amend(store, "priority", "1.3", effective_period="2023-H2", priority="high", author="ana", **MEETING)
    stored = store.priorities()
    assert views.priorities_in_period(plan, stored, "2023-H1")["1.3"] == "moderate"
    assert views.priorities_in_period(plan, stored, "2023-H2")["1.3"] == "high"
    assert views.priorities_in_period(plan, stored, "2024-H2")["1.3"] == "high"
    assert [(c.action, c.payload) for c in versions.changes(store)] == [("priority", {"priority": "high"})]


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"action": "add_activity", "target": "1.7", "effective_period": "2022-H2", "text_sq": "x"}, ValidationError),
    ({"action": "add_activity", "target": "1.7", "effective_period": "2025-H1", "text_sq": "x"}, ValidationError),
    ({"action": "add_activity", "target": "9.9", "effective_period": "2023-H2", "text_sq": "x"}, NotFoundError),
    ({"action": "retire_activity", "target": "1.7.9", "effective_period": "2023-H2"}, NotFoundError),
    ({"action": "add_problem", "target": "1.7", "effective_period": "2023-H2", "text_sq": "x", "priority": "low",
      "institutions": ("police",)}, ConflictError),
    ({"action": "add_problem", "target": "<b>", "effective_period": "2023-H2", "text_sq": "x"}, ValidationError),
    ({"action": "add_problem", "target": "1.12", "effective_period": "2023-H2", "text_sq": "x", "priority": "low",
      "institutions": ("nobody",)}, ValidationError),
    ({"action": "priority", "target": "1.3", "effective_period": "2023-H2", "priority": "urgent"}, ValidationError),
    ({"action": "delete", "target": "1.3", "effective_period": "2023-H2"}, ValidationError),
    ({"action": "add_activity", "target": "1.7", "effective_period": "2023-H2", "text_sq": " "}, ValidationError),
    ({"action": "add_activity", "target": "1.7", "effective_period": "2023-H2", "text_sq": "x", "meeting": ""},
     ValidationError),
    ({"action": "add_activity", "target": "1.7", "effective_period": "2023-H2", "text_sq": "x",
      "decided_on": "20.01.2023"}, ValidationError),
])
def test_a_bad_change_is_refused_with_a_message_and_stores_nothing(store: Store, kwargs: dict[str, object],
                                                                    error: type[HotspotError]) -> None:
    args = {**MEETING, **kwargs}
    with pytest.raises(error) as caught:
        versions.amend(store, str(args.pop("action")), str(args.pop("target")), author="ana", **args)  # type: ignore[arg-type]
    assert caught.value.message("sq") and caught.value.message("en") != caught.value.key
    assert versions.changes(store) == [] and store.priorities().empty and _history(store, "plan adopt") == []


def test_no_change_takes_effect_in_a_closed_review(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    editing.close_review(store, "2023-H1", author="ana", reason="mbyllur për provë")
    with pytest.raises(ConflictError):
        versions.amend(store, "add_activity", "1.7", effective_period="2023-H1", author="ana", text_sq="x", **MEETING)
    assert versions.changes(store) == []


def test_an_old_review_keeps_citing_the_plan_it_was_closed_under(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    versions.amend(store, "add_activity", "1.7", effective_period="2023-H1", author="ana", text_sq="E para", **MEETING)
    editing.close_review(store, "2023-H1", author="ana", reason="mbyllur për provë")
    monkeypatch.setenv("HOTSPOTS_TODAY", "2024-11-15")
    versions.amend(store, "retire_activity", "1.7.1", effective_period="2024-H2", author="ana", **MEETING)
    renewed = versions.renew(store, adopted_on="2024-12-10", meeting="KVSP, mbledhja e 10 dhjetorit 2024",
                             first_period="2025-H1", author="ana")
    version, plan, last = versions.review_plan(store, "2023-H1")
    assert (version.number, last) == (1, versions.changes(store)[0].id)
    assert [a.id for a in plan.problem("1.7").activities][-1] == "1.7.6" and "1.7.1" in [
        a.id for a in plan.problem("1.7").activities]
    cited = versions.citation(version, last, versions.changes(store), "en")
    assert cited == "Plan version 1, adopted on 2022-02-03 (KVSP, 3 shkurt 2022), in force 2022-H1–2024-H2; " \
                    "changes in force: 1."
    now_version, _plan, _last = versions.review_plan(store, "2025-H1")
    assert now_version == renewed and renewed.based_on == 1


def test_a_new_plan_starts_from_the_old_one_as_it_stands_at_its_end(store: Store,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    versions.amend(store, "retire_activity", "1.7.2", effective_period="2023-H2", author="ana", **MEETING)
    versions.amend(store, "add_activity", "1.10", effective_period="2024-H1", author="ana", text_sq="Qendër dite",
                   **MEETING)
    monkeypatch.setenv("HOTSPOTS_TODAY", "2024-11-15")
    with pytest.raises(ValidationError):
        versions.renew(store, adopted_on="2024-12-10", meeting="KVSP", first_period="2022-H1", author="ana")
    new = versions.renew(store, adopted_on="2024-12-10", meeting="KVSP, 10 dhjetor 2024", first_period="2025-H1",
                         author="ana")
    assert (new.number, new.first_period, new.last_period, new.based_on) == (2, "2025-H1", "2027-H2", 1)
    assert [(v.number, v.last_period) for v in versions.versions(store)] == [(1, "2024-H2"), (2, "2027-H2")]
    fresh = versions.plan_for(store, "2025-H1")
    assert fresh.version == 2 and fresh.updated_at == "2024-12-10"
    assert [a.id for a in fresh.problem("1.7").activities] == ["1.7.1", "1.7.3", "1.7.4", "1.7.5"]
    assert fresh.problem("1.10").activities[-1].text("sq") == "Qendër dite" and fresh.problem("1.10").changed_at == ()
    assert versions.plan_for(store, "2024-H1").version == 1  # the old periods keep the old plan
    assert [p.id for p in fresh.problems] == [p.id for p in load_plan().problems]  # hotspots stay linked
    monkeypatch.setenv("HOTSPOTS_TODAY", "2025-02-01")
    versions.amend(store, "add_activity", "1.7", effective_period="2025-H2", author="ana", text_sq="Në planin e ri",
                   **MEETING)
    assert versions.changes(store, 2)[0].version == 2 and len(versions.changes(store, 1)) == 2
    assert _history(store, "plan renew") == [("ana", "v2", "2025-H1")]


def test_an_added_activity_keeps_its_number_in_every_period(store: Store) -> None:
    versions.amend(store, "add_activity", "1.7", effective_period="2024-H1", author="ana", text_sq="Më vonë", **MEETING)
    versions.amend(store, "add_activity", "1.7", effective_period="2023-H2", author="ana", text_sq="Më herët", **MEETING)
    assert [(a.id, a.sq) for a in versions.plan_for(store, "2023-H2").problem("1.7").activities][-1:] == [
        ("1.7.7", "Më herët")]
    assert [a.id for a in versions.plan_for(store, "2024-H1").problem("1.7").activities][-2:] == ["1.7.6", "1.7.7"]


def test_a_hotspot_may_be_linked_to_an_added_activity_but_not_to_an_unknown_one(store: Store) -> None:
    versions.amend(store, "add_activity", "1.7", effective_period="2023-H1", author="ana", text_sq="Ndriçimi",
                   **MEETING)
    point = {"name": "Rruga pa dritë", "category": "crime", "lat": 41.112, "lon": 20.085, "period": "2023-H1",
             "author": "ana"}
    assert editing.add_point_hotspot(store, **point, activities=["1.7.6"])["result"] == "added"
    before = store.count("observations")
    with pytest.raises(ValidationError) as caught:
        editing.add_point_hotspot(store, **{**point, "lat": 41.108}, activities=["1.7.9"])
    assert "1.7.9" in caught.value.message("en") and store.count("observations") == before


def test_the_pack_cites_the_plan_version_of_its_review(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    from hotspots.review import pdf as review_pdf

    def pack_text() -> str:
        data = review_pdf.review_pack(store, "2022-H2", "2023-H1", lang="en")
        return " ".join(page.extract_text() for page in PdfReader(__import__("io").BytesIO(data)).pages)

    versions.amend(store, "add_activity", "1.7", effective_period="2023-H1", author="ana", text_sq="E para", **MEETING)
    editing.close_review(store, "2023-H1", author="ana", reason="mbyllur për provë")
    assert "Plan version 1, adopted on 2022-02-03" in pack_text() and "changes in force: 1." in pack_text()
    monkeypatch.setenv("HOTSPOTS_TODAY", "2023-08-01")
    versions.amend(store, "add_activity", "1.7", effective_period="2023-H2", author="ana", text_sq="E dyta", **MEETING)
    assert "changes in force: 1." in pack_text()  # the closed review keeps the plan it was made under
