"""The one missing-value helper: every kind of missing scalar, never a crash."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from hotspots.base.missing import int_or_none, is_missing, text_or_empty


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, pd.NA, pd.NaT, np.float64("nan")])
def test_missing_scalars(value: object) -> None:
    assert is_missing(value)
    assert int_or_none(value) is None
    assert text_or_empty(value) == ""


@pytest.mark.parametrize("value", [0, 0.0, "", "nan", "None", [1], shapely.Point(0, 0), np.int64(3)])
def test_present_values_are_not_missing(value: object) -> None:
    assert not is_missing(value)


def test_nullable_integer_column_reads_safely() -> None:
    units = pd.Series([1, None, 6], dtype="Int64")
    assert [int_or_none(u) for u in units] == [1, None, 6]
