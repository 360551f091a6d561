from __future__ import annotations

from datetime import date

import pytest
import shapely

from hotspots.plan import model
from hotspots.base.errors import ValidationError


def test_review_periods_run_on_to_todays_half_year_not_a_fixed_six() -> None:
    assert model.review_periods("2022-H1", today=date(2023, 3, 1)) == [
        "2022-H1", "2022-H2", "2023-H1", "2023-H2", "2024-H1", "2024-H2"]  # the first plan's six, planned ahead
    periods = model.review_periods("2022-H1", today=date(2026, 12, 1))
    assert periods[-1] == "2026-H2" and len(periods) == 10  # the plan renewed: the list grows
    assert model.baseline_period() == "2022-H1"


def test_today_is_a_setting_for_demos_and_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOTS_TODAY", "2028-02-29")
    assert model.current_period() == "2028-H1" and model.review_periods()[-1] == "2028-H1"
    monkeypatch.setenv("HOTSPOTS_TODAY", "soon")
    with pytest.raises(ValueError, match="HOTSPOTS_TODAY"):
        model.current_period()


def test_first_period_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOTS_FIRST_PERIOD", "2023-H2")
    assert model.review_periods()[:2] == ["2023-H2", "2024-H1"]
    assert model.baseline_period() == "2023-H2"


def test_current_period_is_todays_half_year() -> None:
    assert model.current_period(date(2022, 3, 1)) == "2022-H1"
    assert model.current_period(date(2023, 8, 1)) == "2023-H2"
    assert model.current_period(date(2030, 1, 1)) == "2030-H1"  # not clipped to the first plan
    assert model.current_period(date(2019, 1, 1)) == "2022-H1"  # never before the first review
    assert model.previous_period("2023-H1") == "2022-H2" and model.previous_period("2022-H1") is None


@pytest.mark.parametrize("bad", ["2022", "2022-H3", "22-H1", "", "2022-h1x"])
def test_bad_period_text_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        model.Period.parse(bad)


def test_period_outside_the_reviews_is_refused_with_allowed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOTS_TODAY", "2026-12-01")
    assert model.check_period("2025-H1") == "2025-H1"
    for bad in ("2027-H1", "2021-H2"):  # the future, and before the first review
        with pytest.raises(ValidationError) as err:
            model.check_period(bad)
        assert "2022-H1 … 2026-H2" in err.value.message("en")


@pytest.mark.parametrize("a,b,message", [
    ("2023-H1", "2023-H1", "Choose two different periods"),
    ("2023-H2", "2023-H1", "must come before"),
])
def test_same_or_reversed_periods_are_refused(a: str, b: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        model.check_period_pair(a, b)
    assert message in err.value.message("en")


def test_name_checks() -> None:
    assert model.check_name("  Tek stacioni i trenit ") == "Tek stacioni i trenit"
    hostile = "<img src=x onerror=alert(1)>"
    assert model.check_name(hostile) == hostile  # stored verbatim, escaped when shown
    for bad in ["", "   ", None, "x" * 10_000]:
        with pytest.raises(ValidationError):
            model.check_name(bad)


@pytest.mark.parametrize("lat,lon", [(float("nan"), 20.0), (41.1, float("inf")), ("abc", 20), (None, 20), (120, 20), (41, 200)])
def test_bad_coordinates_are_refused(lat: object, lon: object) -> None:
    with pytest.raises(ValidationError):
        model.check_lat_lon(lat, lon)


def test_geometry_must_match_location_quality() -> None:
    point = shapely.Point(20.08, 41.11)
    assert model.check_geometry(None, "unlocated") is None
    assert model.check_geometry(point, "exact") == point
    with pytest.raises(ValidationError):
        model.check_geometry(point, "unlocated")
    with pytest.raises(ValidationError):
        model.check_geometry(None, "exact")
    with pytest.raises(ValidationError):
        model.check_geometry(point, "guess")
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    with pytest.raises(ValidationError):
        model.check_geometry(bowtie, "approximate")


def test_canonical_makes_equal_places_equal() -> None:
    a = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 0)])
    b = shapely.Polygon([(1, 0), (1, 1), (0, 0), (1, 0)])
    assert model.canonical(a).wkt == model.canonical(b).wkt


def test_errors_are_translated() -> None:
    err = ValidationError("err_name_missing")
    assert err.message("en") == "The name is missing."
    assert err.message("sq") == "Emri mungon."


@pytest.mark.parametrize(("name", "value"), [
    ("HOTSPOTS_LANG", "fr"), ("HOTSPOTS_FIRST_PERIOD", "2023"), ("HOTSPOTS_TODAY", "1.12.2026"),
    ("HOTSPOTS_NOMINATIM", "maybe"), ("HOTSPOTS_CANNABIS_MIN_HA", "five"), ("HOTSPOTS_SECRET_KEY", "short"),
    ("HOTSPOTS_BASEMAP", "tiles.png"),
])
def test_a_bad_setting_is_named_not_silently_replaced(name: str, value: str, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from hotspots.cli import commands as cli
    from hotspots.base import settings

    monkeypatch.setenv(name, value)
    assert [p.params["name"] for p in settings.problems()] == [name]
    assert cli.main(["--db", ":memory:", "review", "status", "--period", "2022-H2"]) == 2
    err = capsys.readouterr().err
    assert name in err and "cannot be used" in err and "nuk përdoret" in err


def test_settings_accept_any_case_and_the_plain_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    from hotspots.base import settings

    monkeypatch.setenv("HOTSPOTS_LANG", "EN")
    monkeypatch.setenv("HOTSPOTS_NOMINATIM", "Off")
    assert settings.default_language() == "en" and settings.nominatim_enabled() is False and settings.problems() == []
