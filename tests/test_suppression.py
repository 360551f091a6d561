"""The suppression algorithm: the vectorised rule is the per-row rule, and the audit agrees with brute force."""

from __future__ import annotations

import itertools

import numpy as np

from hotspots.incidents import suppression as s


def _table(seed: int, rows: int = 3000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    parts = rng.poisson(rng.choice([0.3, 1.0, 3.0, 8.0], size=(rows, 1)), size=(rows, 5))
    return np.column_stack([parts.sum(axis=1), parts])


def test_all_rows_at_once_is_the_rule_row_by_row() -> None:
    values = _table(1)
    eq = [s.Equation(0, tuple(range(1, values.shape[1])))]
    fast = s.protect_sums(values, 5)
    slow = np.array([s.protect_row(r, eq, 5) for r in values])
    assert np.array_equal(fast, slow)
    assert (fast == s.SECONDARY).any() and (fast == s.WITHHELD).any()


def _brute_ranges(values: np.ndarray, status: np.ndarray, sums: list[tuple[int, tuple[int, ...]]]) -> dict[int, tuple[int, int]]:
    """Every assignment of the hidden cells (secondaries 5..30, withheld 0..30) that keeps the sums: each "<5"'s range."""
    hidden = [int(i) for i in np.flatnonzero(status != s.SHOWN)]
    domains = [range(1, 5) if status[i] == s.PRIMARY else range(5, 31) if status[i] == s.SECONDARY else range(0, 31)
               for i in hidden]
    seen: dict[int, set[int]] = {i: set() for i in hidden if status[i] == s.PRIMARY}
    for combo in itertools.product(*domains):
        x = values.astype(int).copy()
        x[hidden] = combo
        if all(x[t] == sum(x[p] for p in parts) for t, parts in sums):
            for i in seen:
                seen[i].add(int(x[i]))
    return {i: (min(v), max(v)) for i, v in seen.items()}


def test_no_protected_row_lets_a_small_count_be_worked_out_by_brute_force() -> None:
    """Two sums (total = 4 classes, a category = 2 of them): the LP audit path, checked by enumeration."""
    rng = np.random.default_rng(7)
    eqs = [s.Equation(0, (1, 2, 3, 4)), s.Equation(5, (1, 2))]
    checked = 0
    for _ in range(60):
        parts = rng.poisson(rng.choice([0.5, 2.0, 5.0]), size=4)
        values = np.array([parts.sum(), *parts, parts[0] + parts[1]])
        status = s.protect_row(values, eqs, 5)
        if not (status == s.PRIMARY).any() or (status == s.WITHHELD).any() or (status != s.SHOWN).sum() > 4:
            continue
        found = _brute_ranges(values, status, [(0, (1, 2, 3, 4)), (5, (1, 2))])
        checked += 1
        for lo, hi in found.values():
            assert hi > lo, (values.tolist(), status.tolist(), found)
    assert checked >= 15


def test_marks_as_text() -> None:
    values = np.array([[9, 6, 3], [4, 1, 3], [0, 0, 0]])
    status = s.protect(values, [s.Equation(0, (1, 2))], 5)
    assert s.text(values, status, 5).tolist() == [["9", "[c]", "<5"], ["<5", "<5", "<5"], ["0", "0", "0"]]


def test_a_sum_of_sums_protected_one_sum_at_a_time_lets_nothing_be_worked_out() -> None:
    """Column 0 = column 5 (the sum of 1 and 2) + 3 + 4: the nested rule, checked by enumeration."""
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(200):
        parts = rng.poisson(rng.choice([0.5, 2.0, 5.0]), size=4)
        values = np.array([[parts.sum(), *parts, parts[0] + parts[1]]])
        status = s.protect_nested(values, [3, 4], [[5, 1, 2]], 5)[0]
        if not (status == s.PRIMARY).any() or (status == s.WITHHELD).any() or (status != s.SHOWN).sum() > 4:
            continue
        found = _brute_ranges(values[0], status, [(0, (1, 2, 3, 4)), (5, (1, 2))])
        checked += 1
        for lo, hi in found.values():
            assert hi > lo, (values.tolist(), status.tolist(), found)
    assert checked >= 30
