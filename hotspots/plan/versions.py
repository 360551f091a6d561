"""Plan versions: the plan as the council adopted it, amended at its meetings, renewed every three years.

A **version** is one adopted plan: its adoption date and council meeting, the periods it is in
force, and its document (the ``plan.yaml`` shape: problems with their category link, priorities,
activities, responsible institutions). Version 1 is the municipality folder's ``plan.yaml``.
A **change** amends a version from a period on: a problem or an activity added or retired, a
priority changed; each names the meeting that decided it and is one transaction with its history
row. Nothing is deleted: a retired problem or activity keeps its number and stays in the
document, marked with the period it was retired from.

:func:`plan_for` is the plan in force in a period: the version of that period with the changes
in force by then. A change takes effect in today's half-year or later, never in a period whose
review is closed, so the past is never rewritten; a closed review also records the version and the
last change it was closed under (:func:`review_plan`). :func:`renew` starts a new three-year plan
from the old one as it stands at its end.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import pandas as pd

from hotspots.base import settings
from hotspots.base.errors import ConflictError, NotFoundError, ValidationError
from hotspots.base.i18n import N_, t
from hotspots.base.labels import PRIORITY, label
from hotspots.db.database import log, now
from hotspots.plan import model, plan_state
from hotspots.plan.plan import Plan, in_language, plan_document, plan_from_document
from hotspots.plan.store import Store


class Action(StrEnum):
    """What a change of the plan does."""

    ADD_PROBLEM = "add_problem"
    RETIRE_PROBLEM = "retire_problem"
    ADD_ACTIVITY = "add_activity"
    RETIRE_ACTIVITY = "retire_activity"
    PRIORITY = "priority"


#: How each action reads.
ACTION_LABELS: dict[str, str] = {
    "add_problem": N_("pv_action_add_problem"), "retire_problem": N_("pv_action_retire_problem"),
    "add_activity": N_("pv_action_add_activity"), "retire_activity": N_("pv_action_retire_activity"),
    "priority": N_("pv_action_priority")}


@dataclass(frozen=True)
class PlanVersion:
    """One adopted plan: number, adoption, the periods it is in force, the version it was based on."""

    number: int
    adopted_on: str
    meeting: str
    first_period: str
    last_period: str
    based_on: int | None = None
    created_by: str = ""
    created_at: str = ""

    def covers(self, period: str) -> bool:
        """Return whether ``period`` is one of this version's periods."""
        return model.Period.parse(self.first_period) <= model.Period.parse(period) <= model.Period.parse(self.last_period)


@dataclass(frozen=True)
class PlanChange:
    """One amendment of a version, decided at a council meeting, in force from ``effective_period`` on."""

    id: int
    version: int
    action: str
    target: str
    effective_period: str
    meeting: str
    decided_on: str
    payload: dict[str, Any]
    reason: str
    created_by: str
    created_at: str


#: A period after every other: the document with all its changes applied.
_LAST = "2999-H2"


def _period_plus(period: str, n: int) -> str:
    p = model.Period.parse(period)
    for _ in range(n):
        p = p.next()
    return str(p)


def _first_version() -> PlanVersion:
    """Return version 1 as the folder gives it (not yet stored)."""
    first = settings.first_period()
    raw = plan_document()
    meeting = in_language(settings.MUNICIPALITY.plan_citation, "sq") if settings.MUNICIPALITY.plan_citation else ""
    return PlanVersion(1, str(raw["updated_at"]), meeting, first, _period_plus(first, settings.PERIOD_COUNT - 1))


def _first_values(author: str) -> dict[str, Any]:
    """Return the row of version 1 (the folder's plan), stored with the first change or renewal."""
    v = _first_version()
    return dict(number=1, adopted_on=v.adopted_on, meeting=v.meeting, first_period=v.first_period,
                last_period=v.last_period, based_on=None, document=json.dumps(plan_document(), ensure_ascii=False),
                created_at=now(), created_by=author)


def _version_of(row: dict[str, Any]) -> PlanVersion:
    return PlanVersion(int(row["number"]), str(row["adopted_on"]), str(row["meeting"]), str(row["first_period"]),
                       str(row["last_period"]), row["based_on"], str(row["created_by"]), str(row["created_at"]))


def versions(store: Store) -> list[PlanVersion]:
    """Return the plan's versions in order (only version 1, from the folder, while none is stored)."""
    with store.read() as conn:
        rows = plan_state.version_rows(conn)
    return [_version_of(r) for r in rows] or [_first_version()]


def version_for(store: Store, period: str) -> PlanVersion:
    """Return the version in force in ``period``: the latest one begun by then (a plan past its term stays in force)."""
    found = versions(store)
    begun = [v for v in found if model.Period.parse(v.first_period) <= model.Period.parse(period)]
    return begun[-1] if begun else found[0]


def _document(store: Store, number: int) -> dict[str, Any]:
    with store.read() as conn:
        text = plan_state.version_document(conn, number)
    if text is None:
        if number != 1:
            raise NotFoundError("err_plan_version_unknown", value=number)
        return plan_document()
    document: dict[str, Any] = json.loads(text)
    return document


def changes(store: Store, version: int | None = None) -> list[PlanChange]:
    """Return the changes of ``version`` (default: of every version), oldest first."""
    with store.read() as conn:
        rows = plan_state.change_rows(conn, version)
    return [PlanChange(int(r["id"]), int(r["version"]), str(r["action"]), str(r["target"]), str(r["effective_period"]),
                       str(r["meeting"]), str(r["decided_on"]), json.loads(r["payload"]), str(r["reason"]),
                       str(r["created_by"]), str(r["created_at"])) for r in rows]


def _problem_of(document: dict[str, Any], problem_id: str) -> dict[str, Any] | None:
    return next((p for p in document["problems"] if str(p["id"]) == problem_id), None)


def apply(document: dict[str, Any], found: list[PlanChange], period: str) -> dict[str, Any]:
    """Return ``document`` with the changes in force in ``period`` applied (``document`` is left as it is).

    Examples
    --------
    >>> doc = {"problems": [{"id": "1.1", "activities": [{"number": 1, "sq": "a"}]}]}
    >>> c = PlanChange(1, 1, "add_activity", "1.1", "2023-H1", "m", "2023-01-10", {"sq": "b"}, "", "x", "")
    >>> [len(p["activities"]) for p in apply(doc, [c], "2022-H2")["problems"]]
    [1]
    >>> [a["number"] for a in apply(doc, [c], "2023-H1")["problems"][0]["activities"]]
    [1, 2]
    """
    out = copy.deepcopy(document)
    when = model.Period.parse(period)
    for change in found:
        if model.Period.parse(change.effective_period) > when:
            continue
        problem_id = change.target.rsplit(".", 1)[0] if change.action == "retire_activity" else change.target
        if change.action == "add_problem":
            out["problems"].append({"id": change.target, "activities": [], **change.payload})
        problem = _problem_of(out, problem_id)
        if problem is None:
            continue
        if change.action == "retire_problem":
            problem["retired_from"] = change.effective_period
        elif change.action == "add_activity":  # its number was fixed when it was decided (never reused)
            numbers = [int(a["number"]) for a in problem["activities"]]
            problem["activities"].append({"number": max(numbers, default=0) + 1, **change.payload})
        elif change.action == "retire_activity":
            number = int(change.target.rsplit(".", 1)[1])
            for activity in problem["activities"]:
                if int(activity["number"]) == number:
                    activity["retired_from"] = change.effective_period
        problem["changed_at"] = [*problem.get("changed_at", []), f"{change.meeting} ({change.decided_on})"]
    return out


def _built(store: Store, version: PlanVersion, period: str, found: list[PlanChange]) -> Plan:
    """Return ``version``'s plan in ``period`` with those of the changes ``found`` in force by then."""
    return plan_from_document(apply(_document(store, version.number), found, period), version=version.number)


def plan_for(store: Store, period: str) -> Plan:
    """Return the plan in force in ``period``: its version with the changes in force by then."""
    return _in_force(store, period)[1]


def review_plan(store: Store, period: str, *, dataset: str = "real") -> tuple[PlanVersion, Plan, int | None]:
    """Return the plan a review cites: the one it was closed under, else the one in force now.

    Returns the version, the plan and the last change in force (None: none).
    """
    with store.read() as conn:
        row = plan_state.review_plan_row(conn, period, dataset)
    if row is not None and row["state"] == "closed" and row["plan_version"] is not None:
        version = next((v for v in versions(store) if v.number == row["plan_version"]), version_for(store, period))
        last: int | None = row["plan_change"]
        found = [c for c in changes(store, version.number) if last is not None and c.id <= last]
        return version, _built(store, version, period, found), last
    return _in_force(store, period)


def _in_force(store: Store, period: str) -> tuple[PlanVersion, Plan, int | None]:
    version = version_for(store, period)
    found = changes(store, version.number)
    last = max((c.id for c in found if model.Period.parse(c.effective_period) <= model.Period.parse(period)),
               default=None)
    return version, _built(store, version, period, found), last


def closing_values(store: Store, period: str) -> dict[str, int | None]:
    """Return what a review closing now records of its plan: ``plan_version`` and ``plan_change``."""
    version, _plan, last = _in_force(store, period)
    return {"plan_version": version.number, "plan_change": last}


def citation(version: PlanVersion, last_change: int | None, found: list[PlanChange], lang: str) -> str:
    """Return how a review or the pack cites the plan: its version, adoption and changes in force."""
    n = sum(1 for c in found if c.version == version.number and last_change is not None and c.id <= last_change)
    return t("plan_version_cite", lang, version=version.number, adopted=version.adopted_on,
             meeting=version.meeting or "—", first=version.first_period, last=version.last_period, n=n)


def effective_periods(store: Store) -> list[str]:
    """Return the periods a change may take effect in: today's half-year on, to the end of the version in force."""
    now_period = model.period_of(settings.today())
    version = version_for(store, now_period)
    out, period = [], now_period
    end = max(model.Period.parse(version.last_period), model.Period.parse(_period_plus(now_period, 1)))
    while model.Period.parse(period) <= end:
        out.append(period)
        period = _period_plus(period, 1)
    return out


def _check_date(value: str) -> str:
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError("err_plan_date", value=str(value)[:40]) from None


def _check_effective(store: Store, version: PlanVersion, period: str) -> str:
    model.Period.parse(period)
    today = model.Period.parse(model.period_of(settings.today()))
    if model.Period.parse(period) < today or not (version.covers(period) or period in effective_periods(store)):
        raise ValidationError("err_plan_period", value=period, version=version.number, first=str(today),
                              last=version.last_period)
    return period


def _texts(sq: str, en: str) -> dict[str, str]:
    return {"sq": model.check_name(sq), "en": model.check_name(en) if str(en or "").strip() else model.check_name(sq)}


def amend(store: Store, action: str, target: str, *, effective_period: str, meeting: str, decided_on: str,
          author: str, reason: str = "", text_sq: str = "", text_en: str = "", priority: str = "",
          institutions: tuple[str, ...] = ()) -> PlanChange:
    """Amend the version in force in ``effective_period``; return the change (one transaction, history kept).

    ``target`` is a problem (``add_problem``, ``retire_problem``, ``add_activity``, ``priority``) or
    an activity (``retire_activity``). An added problem or activity takes its text from
    ``text_sq`` / ``text_en``; an added problem also ``priority`` and ``institutions``. An added
    problem has no hotspot category: the category ↔ problem link is the municipality folder's.

    Raises
    ------
    ValidationError
        An unknown action, a missing meeting, a bad date, text or priority, or a period before
        today's half-year or outside the version.
    NotFoundError
        A problem or activity not in the plan in force in that period.
    ConflictError
        A problem number already used, or a period whose review is closed.
    """
    model.check_choice(action, Action, "action")
    meeting = model.check_name(meeting)
    decided_on = _check_date(decided_on)
    reason = model.check_note(reason).strip()
    target = str(target or "").strip()
    version = version_for(store, effective_period)
    in_force = apply(_document(store, version.number), changes(store, version.number), effective_period)
    live = plan_from_document(in_force, version=version.number)
    live_ids = {p.id for p in live.problems}
    payload: dict[str, Any] = {}
    if action == "add_problem":
        if not re.fullmatch(r"\d{1,3}(\.\d{1,3}){0,2}", target):
            raise ValidationError("err_plan_problem_id", value=target[:20])
        if _problem_of(in_force, target) is not None:
            raise ConflictError("err_plan_problem_exists", value=target)
        texts = _texts(text_sq, text_en)
        model.check_choice(priority, model.Priority, "priority")
        unknown = sorted(set(institutions) - set(in_force["institutions"]))
        if unknown or not institutions:
            raise ValidationError("err_choice", field="institutions", value=", ".join(unknown),
                                  allowed=", ".join(in_force["institutions"]))
        payload = {"title": texts, "priority": priority, "institutions": list(institutions), "figures": []}
    elif action == "retire_activity":
        if target not in {a.id for p in live.problems for a in p.activities}:
            raise NotFoundError("err_activity_unknown", value=target)
    elif target not in live_ids:
        raise NotFoundError("err_plan_problem_unknown", value=target, period=effective_period)
    if action == "add_activity":  # the next number of the problem over every period: the same in each
        everything = apply(_document(store, version.number), changes(store, version.number), _LAST)
        numbers = [int(a["number"]) for a in (_problem_of(everything, target) or {"activities": []})["activities"]]
        payload = {**_texts(text_sq, text_en), "number": max(numbers, default=0) + 1}
    elif action == "priority":
        payload = {"priority": model.check_choice(priority, model.Priority, "priority")}
    _check_effective(store, version, effective_period)
    with store.transaction() as conn:
        if plan_state.closed_in_any_dataset(conn, effective_period):  # checked where the change is written
            raise ConflictError("err_review_closed", period=effective_period)
        plan_state.ensure_first_version(conn, _first_values(author))
        change_id = plan_state.insert_change(conn, dict(
            version=version.number, action=action, target=target, effective_period=effective_period, meeting=meeting,
            decided_on=decided_on, payload=json.dumps(payload, ensure_ascii=False), reason=reason, created_at=now(),
            created_by=author))
        if action == "priority":  # the priority of each period is kept per period: from this one on
            plan_state.set_priority(conn, target, effective_period, priority=payload["priority"], author=author)
        log(conn, author=author, action=f"plan {action}", entity="plan", entity_id=f"v{version.number}:{target}",
            period=effective_period, after={"meeting": meeting, "decided_on": decided_on, **payload})
    return next(c for c in changes(store, version.number) if c.id == change_id)


def renew(store: Store, *, adopted_on: str, meeting: str, first_period: str, author: str) -> PlanVersion:
    """Start a new plan from the one in force, as it stands in its last period; return the new version.

    The new plan keeps the problems' numbers (hotspots stay linked) and drops what was retired;
    it is in force for three years from ``first_period``. The old one ends the period before.

    Raises
    ------
    ValidationError
        A missing meeting, a bad date, or a first period not after the old plan's first period
        or before today's half-year.
    """
    meeting = model.check_name(meeting)
    adopted_on = _check_date(adopted_on)
    old = versions(store)[-1]
    start = model.Period.parse(first_period)
    if start <= model.Period.parse(old.first_period) or start < model.Period.parse(model.period_of(settings.today())):
        raise ValidationError("err_plan_renew_period", value=first_period, first=old.first_period)
    document = apply(_document(store, old.number), changes(store, old.number), old.last_period)
    document["problems"] = [p for p in document["problems"] if not p.get("retired_from")]
    for problem in document["problems"]:
        problem["activities"] = [a for a in problem["activities"] if not a.get("retired_from")]
        problem.pop("changed_at", None)
        problem["updated_kvsp_2022_02_03"] = False
    document["updated_at"] = adopted_on
    new = PlanVersion(old.number + 1, adopted_on, meeting, str(start),
                      _period_plus(str(start), settings.PERIOD_COUNT - 1), old.number)
    before = str(model.Period.parse(model.previous_period(str(start)) or old.first_period))
    with store.transaction() as conn:
        plan_state.ensure_first_version(conn, _first_values(author))
        if model.Period.parse(old.last_period) >= start:
            plan_state.end_version(conn, old.number, before)
        plan_state.insert_version(conn, dict(
            number=new.number, adopted_on=adopted_on, meeting=meeting, first_period=new.first_period,
            last_period=new.last_period, based_on=old.number, document=json.dumps(document, ensure_ascii=False),
            created_at=now(), created_by=author))
        log(conn, author=author, action="plan renew", entity="plan", entity_id=f"v{new.number}",
            period=new.first_period, before={"version": old.number, "last_period": old.last_period},
            after={"adopted_on": adopted_on, "meeting": meeting, "first_period": new.first_period})
    return next(v for v in versions(store) if v.number == new.number)


def versions_table(store: Store, lang: str) -> pd.DataFrame:
    """Return the versions for people: number, adoption, meeting, periods in force, the version it renewed."""
    rows = [{t("pv_col_version", lang): v.number, t("pv_col_adopted", lang): v.adopted_on,
             t("pv_col_meeting", lang): v.meeting, t("pv_col_periods", lang): f"{v.first_period} – {v.last_period}",
             t("pv_col_based_on", lang): "—" if v.based_on is None else str(v.based_on)} for v in versions(store)]
    return pd.DataFrame(rows)


def changes_table(store: Store, lang: str) -> pd.DataFrame:
    """Return every change for people, newest first: period, what, the text, meeting, date, author, reason."""
    def what(c: PlanChange) -> str:
        if c.action == Action.ADD_PROBLEM:
            return in_language(c.payload["title"], lang)
        if c.action == Action.ADD_ACTIVITY:
            return in_language(c.payload, lang)
        if c.action == Action.PRIORITY:
            return label(PRIORITY, c.payload["priority"], lang)
        return ""

    rows = [{t("pv_col_version", lang): c.version, t("col_period", lang): c.effective_period,
             t("pv_col_action", lang): label(ACTION_LABELS, c.action, lang), t("pv_col_target", lang): c.target,
             t("pv_col_text", lang): what(c), t("pv_col_meeting", lang): c.meeting,
             t("pv_col_decided", lang): c.decided_on, t("col_author", lang): c.created_by,
             t("pv_col_reason", lang): c.reason} for c in reversed(changes(store))]
    return pd.DataFrame(rows)
