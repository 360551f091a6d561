"""Cell suppression of count tables: primary ("<5") and secondary ("[c]"), audited exactly.

A count table has rows (a unit and period, a hotspot and period, a cell and period) and the
same columns in every row; some columns are sums of others (``total`` = the offence
classes; a category = its classes). Those sums are the *equations* a reader can use.

- **Primary**: a count from 1 to ``below - 1`` is shown as ``"<below>"`` (zeros are shown).
- **Secondary**: a reader who knows a row's total and all but one of its parts can subtract.
  After the primary step every row is *audited*: for each primary cell, the values it can
  take, given every figure shown in the row, the equations and what each mark says (``"<5"``:
  1 to 4; ``"[c]"``: at least 5, because only shown counts of 5 or more are ever withheld as
  secondaries). While a primary cell can be narrowed (to fewer than all of 1 to 4), the
  smallest shown count of 5 or more in an equation holding it is withheld as ``"[c]"`` (the
  smallest, to lose least; a sum is a count like any other). When none is left, the row
  stands if no primary cell can be worked out exactly (a reader may learn "at most 3", never
  the value); otherwise the whole row is withheld (every cell ``"[c]"``).

The audit is exact: one equation is solved in closed form (interval arithmetic on the sum);
several equations sharing a row are bounded by linear programming (HiGHS through SciPy),
which is exact here because every equation has coefficients 0 and ±1 over a tree of sums.
Rows never share an equation: tables that add rows together (a city total) are not shown
to protected roles (see :mod:`hotspots.incidents.disclosure`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog


#: Status codes of a cell.
SHOWN, PRIMARY, SECONDARY, WITHHELD = 0, 1, 2, 3

#: The mark of a secondary suppression (the ONS's "[c]", confidential).
SECONDARY_MARK = "[c]"


@dataclass(frozen=True)
class Equation:
    """``columns[total] = sum(columns[parts])`` in every row of a table."""

    total: int
    parts: tuple[int, ...]


def primary(values: np.ndarray, below: int) -> np.ndarray:
    """Return the status of every count: :data:`PRIMARY` for 1 to ``below - 1``, else :data:`SHOWN`.

    Examples
    --------
    >>> primary(np.array([0, 1, 4, 5]), 5).tolist()
    [0, 1, 1, 0]
    """
    return np.where((values >= 1) & (values < below), PRIMARY, SHOWN).astype(np.int8)


def _bounds(value: int, status: int, below: int) -> tuple[float, float]:
    if status == SHOWN:
        return float(value), float(value)
    if status == PRIMARY:
        return 1.0, float(below - 1)
    if status == SECONDARY:
        return float(below), np.inf
    return 0.0, np.inf


def _equation_rows(equations: Sequence[Equation], n: int) -> np.ndarray:
    """Return the equations as rows of coefficients ``a`` with ``a @ x = 0``."""
    a = np.zeros((len(equations), n))
    for k, eq in enumerate(equations):
        a[k, eq.total] = 1.0
        for p in eq.parts:
            a[k, p] -= 1.0
    return a


def ranges(values: np.ndarray, status: np.ndarray, equations: Sequence[Equation], below: int) -> dict[int, tuple[float, float]]:
    """Return, for every withheld cell of one row, the least and most it can be given what is shown.

    With several equations only the "<5" cells are bounded (the ones the audit needs).

    Examples
    --------
    A total of 9 with parts 6 and "<5": the withheld part is 3, exactly.

    >>> ranges(np.array([9, 6, 3]), np.array([0, 0, 1]), [Equation(0, (1, 2))], 5)
    {2: (3.0, 3.0)}
    """
    hidden = [int(i) for i in np.flatnonzero(status != SHOWN)]
    if not hidden:
        return {}
    bounds = [_bounds(int(v), int(s), below) for v, s in zip(values, status, strict=True)]
    a = _equation_rows(equations, len(values))
    used = [k for k in range(len(a)) if np.any(a[k, hidden] != 0)]
    if not used:
        return {i: bounds[i] for i in hidden}
    if len(used) == 1:
        return _one_equation(a[used[0]], bounds, hidden)
    return _linear_program(a[used], bounds, [i for i in hidden if status[i] == PRIMARY])


def _one_equation(coef: np.ndarray, bounds: list[tuple[float, float]], hidden: list[int]) -> dict[int, tuple[float, float]]:
    """Return the range of each hidden x where ``coef @ x = 0`` and every x is in its box (closed form)."""
    lo = np.array([b[0] for b in bounds])
    hi = np.array([b[1] for b in bounds])
    with np.errstate(invalid="ignore"):
        term_min = np.where(coef > 0, coef * lo, np.where(coef < 0, coef * hi, 0.0))
        term_max = np.where(coef > 0, coef * hi, np.where(coef < 0, coef * lo, 0.0))
    out: dict[int, tuple[float, float]] = {}
    for i in hidden:
        if coef[i] == 0:
            out[i] = bounds[i]
            continue
        rest_min = float(np.sum(np.delete(term_min, i)))
        rest_max = float(np.sum(np.delete(term_max, i)))
        # coef[i] * x_i = -(rest): x_i between -rest_max/coef and -rest_min/coef (coef is ±1)
        a, b = sorted((-rest_max / float(coef[i]), -rest_min / float(coef[i])))
        out[i] = (float(max(bounds[i][0], a)), float(min(bounds[i][1], b)))
    return out


def _linear_program(a: np.ndarray, bounds: list[tuple[float, float]], targets: list[int]) -> dict[int, tuple[float, float]]:
    """Bound every ``targets`` cell by two linear programs (exact for sums over a tree: the matrix is unimodular)."""
    box = [(b[0], None if np.isinf(b[1]) else b[1]) for b in bounds]
    out: dict[int, tuple[float, float]] = {}
    zero = np.zeros(len(a))
    for i in targets:
        c = np.zeros(a.shape[1])
        c[i] = 1.0
        low = linprog(c, A_eq=a, b_eq=zero, bounds=box, method="highs")
        high = linprog(-c, A_eq=a, b_eq=zero, bounds=box, method="highs")
        top = np.inf if high.status == 3 else -float(high.fun or 0.0)
        out[i] = (float(low.fun or 0.0), top)
    return out


def _narrowed(values: np.ndarray, status: np.ndarray, equations: Sequence[Equation], below: int) -> tuple[list[int], bool]:
    """Return the primary cells a reader can narrow below 1..``below - 1``, and whether one is pinned to a value."""
    found = ranges(values, status, equations, below)
    narrowed = [i for i, (lo, hi) in found.items() if status[i] == PRIMARY and (lo > 1 + 1e-9 or hi < below - 1 - 1e-9)]
    pinned = any(found[i][1] - found[i][0] < 1 - 1e-9 for i in narrowed)
    return narrowed, pinned


def protect_row(values: np.ndarray, equations: Sequence[Equation], below: int) -> np.ndarray:
    """Return the status of every cell of one row after primary and secondary suppression.

    While a "<5" can be narrowed (to fewer than all of 1-4), the smallest shown count of 5 or
    more in an equation holding it is withheld. When none is left, the row stands if no "<5"
    can be worked out exactly (a reader may learn "at most 3"); otherwise every cell of the
    row is withheld (:data:`WITHHELD`).

    Examples
    --------
    Total 20 = 14 + 3 + 3: the two "<5" add up to 6, so each is 2, 3 or 4; the other part
    (14) is withheld too, and then each "<5" can be any of 1-4.

    >>> protect_row(np.array([20, 14, 3, 3]), [Equation(0, (1, 2, 3))], 5).tolist()
    [0, 2, 1, 1]

    Total 6 = 3 + 3 + 0: the total is withheld.

    >>> protect_row(np.array([6, 3, 3, 0]), [Equation(0, (1, 2, 3))], 5).tolist()
    [2, 1, 1, 0]

    Total 4 = 1 + 1 + 1 + 1: every part is 1 and nothing can hide it but the whole row.

    >>> protect_row(np.array([4, 1, 1, 1, 1]), [Equation(0, (1, 2, 3, 4))], 5).tolist()
    [3, 3, 3, 3, 3]
    """
    status = primary(values, below)
    if not status.any():
        return status
    while True:
        narrowed, pinned = _narrowed(values, status, equations, below)
        if not narrowed:
            return status
        cells = {c for eq in equations for c in (eq.total, *eq.parts) if narrowed[0] in (eq.total, *eq.parts)}
        candidates = [c for c in sorted(cells) if status[c] == SHOWN and values[c] >= below]
        if not candidates:
            for i in narrowed[1:]:  # another narrowed cell may still have a shown neighbour
                cells = {c for eq in equations for c in (eq.total, *eq.parts) if i in (eq.total, *eq.parts)}
                candidates = [c for c in sorted(cells) if status[c] == SHOWN and values[c] >= below]
                if candidates:
                    break
        if not candidates:
            return np.full_like(status, WITHHELD) if pinned else status
        status[min(candidates, key=lambda c: (int(values[c]), c))] = SECONDARY


def protect(values: np.ndarray, equations: Sequence[Equation], below: int) -> np.ndarray:
    """Return the status (rows × columns) of a count table after :func:`protect_row` on every row.

    Only rows holding a count from 1 to ``below - 1`` are audited; the others are shown whole.
    A table whose one equation is "column 0 is the sum of all the others" is protected by
    :func:`protect_sums`, the same rule on all rows at once.
    """
    values = np.asarray(values, dtype=np.int64)
    status = np.zeros(values.shape, dtype=np.int8)
    if values.size == 0:
        return status
    if len(equations) == 1 and equations[0].total == 0 and tuple(equations[0].parts) == tuple(range(1, values.shape[1])):
        return protect_sums(values, below)
    needs = np.flatnonzero(((values >= 1) & (values < below)).any(axis=1))
    for r in needs:
        status[r] = protect_row(values[r], equations, below)
    return status


def protect_nested(values: np.ndarray, top: Sequence[int], groups: Sequence[Sequence[int]], below: int) -> np.ndarray:
    """Return the status of a table with a sum of sums: column 0 = ``top`` + the ``groups``' sums, each group's sum = its parts.

    ``top`` are the columns added directly into column 0, ``groups`` the column lists
    ``[sum, part, part, …]``. The reader knows "column 0 minus a shown group sum"; the
    nested table is protected one sum at a time (:func:`protect_sums`, all rows at once; in
    the outer sum the groups' sums are withheld last, after the total: the plan categories'
    series are what the council's trends read) until
    nothing changes, then every row where a group sum is withheld (so the two sums share an
    unknown) is audited jointly by :func:`ranges` and, where that audit narrows a "<5" the
    separate ones did not, protected whole by :func:`protect_row`.
    """
    values = np.asarray(values, dtype=np.int64)
    status = primary(values, below)
    outer = [0, *[g[0] for g in groups], *top]
    keep = np.array([1, *[2] * len(groups), *[0] * len(top)])  # the parts first, then the total, the groups' sums last
    for _ in range(len(outer) + 2):
        before = status.copy()
        status[:, outer] = protect_sums(values[:, outer], below, status[:, outer], keep)
        for g in groups:
            status[:, list(g)] = protect_sums(values[:, list(g)], below, status[:, list(g)])
        if np.array_equal(before, status):
            break
    equations = [Equation(0, (*[g[0] for g in groups], *top))] + [Equation(g[0], tuple(g[1:])) for g in groups]
    shared = np.flatnonzero(((status[:, [g[0] for g in groups]] != SHOWN).any(axis=1)) & (status == PRIMARY).any(axis=1))
    for r in shared:
        narrowed, _pinned = _narrowed(values[r], status[r], equations, below)
        if narrowed:
            status[r] = protect_row(values[r], equations, below)
    return status


def _sum_ranges(values: np.ndarray, status: np.ndarray, below: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the least and most every cell can be, for rows where column 0 = the sum of the others."""
    lo = np.where(status == SHOWN, values, np.where(status == PRIMARY, 1, np.where(status == SECONDARY, below, 0))).astype(float)
    hi = np.where(status == SHOWN, values, np.where(status == PRIMARY, below - 1, np.inf)).astype(float)
    coef = -np.ones(values.shape[1])
    coef[0] = 1.0
    tmin = np.where(coef > 0, lo, -hi)  # the least each term of total - parts can be
    tmax = np.where(coef > 0, hi, -lo)
    inf_min, inf_max = np.isinf(tmin), np.isinf(tmax)
    fin_min, fin_max = np.where(inf_min, 0.0, tmin), np.where(inf_max, 0.0, tmax)
    rest_min = np.where((inf_min.sum(axis=1, keepdims=True) - inf_min) > 0, -np.inf,
                        fin_min.sum(axis=1, keepdims=True) - fin_min)
    rest_max = np.where((inf_max.sum(axis=1, keepdims=True) - inf_max) > 0, np.inf,
                        fin_max.sum(axis=1, keepdims=True) - fin_max)
    # coef * x = -(rest): for the total x in [-rest_max, -rest_min], for a part x in [rest_min, rest_max]
    low = np.where(coef > 0, -rest_max, rest_min)
    high = np.where(coef > 0, -rest_min, rest_max)
    return np.maximum(lo, low), np.minimum(hi, high)


def protect_sums(values: np.ndarray, below: int, status: np.ndarray | None = None,
                 keep: np.ndarray | None = None) -> np.ndarray:
    """Return the status of a table whose column 0 is the sum of the others: :func:`protect_row`, all rows at once.

    ``status``: cells already withheld elsewhere (by another sum they belong to), kept withheld.
    ``keep``: a rank per column; a secondary is taken from the lowest rank first (then the
    smallest count), so columns ranked high (a plan category's sum) are withheld last.

    Examples
    --------
    >>> table = np.array([[20, 14, 3, 3, 0], [6, 3, 3, 0, 0], [3, 1, 1, 1, 0], [4, 1, 1, 1, 1], [12, 7, 5, 0, 0]])
    >>> protect_sums(table, 5).tolist()
    [[0, 2, 1, 1, 0], [2, 1, 1, 0, 0], [1, 1, 1, 1, 0], [3, 3, 3, 3, 3], [0, 0, 0, 0, 0]]
    """
    values = np.asarray(values, dtype=np.int64)
    status = primary(values, below) if status is None else np.maximum(np.asarray(status, dtype=np.int8), primary(values, below))
    active: np.ndarray = np.asarray((status == PRIMARY).any(axis=1))
    for _ in range(values.shape[1] + 1):
        if not active.any():
            break
        rows = np.flatnonzero(active)
        v, st = values[rows], status[rows]
        low, high = _sum_ranges(v, st, below)
        narrowed = (st == PRIMARY) & ((low > 1 + 1e-9) | (high < below - 1 - 1e-9))
        failing = narrowed.any(axis=1)
        active[rows[~failing]] = False
        if not failing.any():
            break
        candidates = (st == SHOWN) & (v >= below)
        has = candidates.any(axis=1)
        rank = np.zeros(values.shape[1], dtype=np.int64) if keep is None else np.asarray(keep, dtype=np.int64)
        order = rank[None, :] * (int(v.max()) + 1) + v  # rank first, then the count
        pick = np.argmin(np.where(candidates, order, np.iinfo(np.int64).max), axis=1)
        add = failing & has
        status[rows[add], pick[add]] = SECONDARY
        stuck = failing & ~has
        pinned = (narrowed & (high - low < 1 - 1e-9)).any(axis=1)
        status[rows[stuck & pinned]] = WITHHELD
        active[rows[stuck]] = False
    return status


def text(values: np.ndarray, status: np.ndarray, below: int) -> np.ndarray:
    """Return the counts as text: shown, ``"<below>"`` or :data:`SECONDARY_MARK`.

    Examples
    --------
    >>> text(np.array([[12, 3, 9]]), np.array([[0, 1, 2]]), 5).tolist()
    [['12', '<5', '[c]']]
    """
    out = np.asarray(values).astype(np.int64).astype(str).astype(object)
    out[status == PRIMARY] = f"<{below}"
    out[(status == SECONDARY) | (status == WITHHELD)] = SECONDARY_MARK
    return out
