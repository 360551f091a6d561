"""The plan's problems, priorities, activities and responsible institutions."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hotspots.base import settings
from hotspots.plan.model import Priority


def in_language(texts: Mapping[str, str], lang: str) -> str:
    """Return a text of the plan in ``lang``, else the Albanian original.

    The plan is written in Albanian and translated into English; ``plan.yaml`` may add other
    languages under their code.

    Examples
    --------
    >>> in_language({"sq": "Lagjja", "en": "Unit"}, "en"), in_language({"sq": "Lagjja", "en": "Unit"}, "it")
    ('Unit', 'Lagjja')
    """
    return texts.get(lang) or texts["sq"]


@dataclass(frozen=True)
class Activity:
    """A numbered activity of a problem, e.g. 1.7.5."""

    problem_id: str
    number: int
    sq: str
    en: str

    @property
    def id(self) -> str:
        """Return the activity's number as the plan writes it, e.g. ``1.7.5``."""
        return f"{self.problem_id}.{self.number}"

    def text(self, lang: str) -> str:
        """Return the activity's text in ``lang``."""
        return in_language({"sq": self.sq, "en": self.en}, lang)


@dataclass(frozen=True)
class Problem:
    """One of the plan's ten problems."""

    id: str
    title_sq: str
    title_en: str
    priority: Priority
    updated_kvsp: bool
    institutions: tuple[str, ...]
    activities: tuple[Activity, ...]
    figures: tuple[dict[str, Any], ...] = field(default=())
    category: str | None = None
    #: The council meetings whose amendments changed this problem (in force in the period asked for).
    changed_at: tuple[str, ...] = ()

    def title(self, lang: str) -> str:
        """Return the problem's title in ``lang``."""
        return in_language({"sq": self.title_sq, "en": self.title_en}, lang)


@dataclass(frozen=True)
class Plan:
    """The whole plan: title, institutions and problems."""

    title_sq: str
    title_en: str
    updated_at: str
    institutions: dict[str, dict[str, str]]
    problems: tuple[Problem, ...]
    #: The plan version (1: the folder's ``plan.yaml``; see :mod:`hotspots.plan.versions`).
    version: int = 1

    def title(self, lang: str) -> str:
        """Return the plan's title in ``lang``."""
        return in_language({"sq": self.title_sq, "en": self.title_en}, lang)

    def problem(self, problem_id: str) -> Problem:
        """Return the problem ``problem_id`` (e.g. ``"1.7"``).

        Raises
        ------
        KeyError
            If the plan has no such problem.
        """
        for problem in self.problems:
            if problem.id == problem_id:
                return problem
        raise KeyError(problem_id)

    def institution_names(self, problem: Problem, lang: str) -> list[str]:
        """Return the names of the institutions responsible for ``problem``."""
        return [in_language(self.institutions[key], lang) for key in problem.institutions]

    def activity(self, activity_id: str) -> Activity:
        """Return an activity by its number, e.g. ``"1.7.5"``."""
        problem_id, _, number = activity_id.rpartition(".")
        for activity in self.problem(problem_id).activities:
            if activity.number == int(number):
                return activity
        raise KeyError(activity_id)


def _problem(raw: dict[str, Any]) -> Problem:
    pid = str(raw["id"])
    activities = tuple(  # a number the document gives is kept: a retired activity leaves its number unused
        Activity(pid, int(a.get("number") or n), a["sq"], a.get("en") or a["sq"])
        for n, a in enumerate(raw["activities"], start=1) if not a.get("retired_from")
    )
    return Problem(
        id=pid,
        title_sq=raw["title"]["sq"],
        title_en=raw["title"]["en"],
        priority=Priority(raw["priority"]),
        updated_kvsp=bool(raw.get("updated_kvsp_2022_02_03", False)),
        institutions=tuple(raw["institutions"]),
        activities=activities,
        figures=tuple(raw.get("figures") or ()),
        category=raw.get("category"),
        changed_at=tuple(raw.get("changed_at") or ()),
    )


@lru_cache(maxsize=4)
def load_plan(path: Path = settings.PLAN_FILE) -> Plan:
    """Load the plan from its YAML file.

    Examples
    --------
    >>> load_plan().problem("1.7").activities[4].id
    '1.7.5'
    """
    return plan_from_document(plan_document(path))


def plan_document(path: Path = settings.PLAN_FILE) -> dict[str, Any]:
    """Return the plan file as a document (a copy to change), every activity's number written out."""
    return copy.deepcopy(_parsed(str(path), Path(path).stat().st_mtime))


@lru_cache(maxsize=4)
def _parsed(path: str, _mtime: float) -> dict[str, Any]:
    """Return the plan file parsed, once per version of the file."""
    raw: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for problem in raw["problems"]:
        for n, activity in enumerate(problem["activities"], start=1):
            activity.setdefault("number", n)
    return raw


def plan_from_document(raw: Mapping[str, Any], *, version: int = 1) -> Plan:
    """Return the plan a document of the ``plan.yaml`` shape holds (retired problems and activities left out).

    Raises
    ------
    ValueError
        If a problem names an institution the plan does not list.
    """
    problems = tuple(_problem(p) for p in raw["problems"] if not p.get("retired_from"))
    for problem in problems:
        unknown = set(problem.institutions) - set(raw["institutions"])
        if unknown:
            raise ValueError(f"problem {problem.id}: unknown institutions {sorted(unknown)}")
    return Plan(
        title_sq=raw["title"]["sq"],
        title_en=raw["title"]["en"],
        updated_at=str(raw["updated_at"]),
        institutions=dict(raw["institutions"]),
        problems=problems,
        version=version,
    )
