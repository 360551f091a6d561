"""Property-based tests (Hypothesis) of the parsers and validators that face hostile input (issue 10)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotspots.accounts import auth, sessions
from hotspots.base.errors import HotspotError, ImportFileError, ValidationError
from hotspots.cli import common
from hotspots.plan import exchange, model, views
from hotspots.plan.records import _plan_unit


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
text = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3), max_leaves=10,
)


@FAST
@given(st.dictionaries(st.sampled_from(["period", "category", "unit", "priority", "layers", "x"]),
                       st.one_of(text, st.lists(text, max_size=4)), max_size=6))
def test_any_url_parameters_give_valid_filters(params: dict) -> None:
    filters = views.parse_filters(params, default_period="2022-H1")
    assert filters.period in model.review_periods()
    assert set(filters.units) <= {1, 2, 3, 4, 5, 6} and len(set(filters.units)) == len(filters.units)
    assert set(filters.layers) <= set(views.LAYERS)
    assert views.parse_filters(views.filters_to_params(filters), default_period="2022-H1") == filters
    views.ignored_params(params, filters)


@FAST
@given(json_values)
def test_plan_unit_is_one_to_six_or_a_refusal(value: object) -> None:
    try:
        assert _plan_unit(value) in (None, 1, 2, 3, 4, 5, 6)
    except ValidationError as exc:
        exc.message("sq")


@FAST
@given(text, st.text(max_size=20))
def test_password_policy_accepts_or_refuses_plainly(password: str, name: str) -> None:
    try:
        auth.check_password_policy(password, name)
    except ValidationError:
        return
    assert len(password) >= auth.MIN_PASSWORD and password.strip()
    assert len(password.encode()) <= auth.MAX_PASSWORD_BYTES


@FAST
@given(text)
def test_names_and_notes_are_printable_or_refused(value: str) -> None:
    for check in (model.check_name, model.check_note):
        try:
            out = check(value)
        except ValidationError:
            continue
        out.encode("utf-8")  # storable
        assert not any(ord(c) < 32 and c not in "\n\t\r" for c in out)


@FAST
@given(st.text(max_size=45))
def test_account_names_are_the_whole_match(name: str) -> None:
    try:
        auth.check_name(name)
    except ValidationError:
        return
    assert "\n" not in name and 2 <= len(name) <= 40


@FAST
@given(text)
def test_formula_cells_are_neutralised_and_restored(value: str) -> None:
    out = exchange.neutralise_formula(value)
    assert not out.startswith(exchange.FORMULA_STARTS)
    assert exchange.restore_formula(out) == value or value.startswith("'")


@FAST
@given(text)
def test_terminal_output_holds_no_control_sequence(value: str) -> None:
    out = common.terminal_safe(value)
    assert not any((ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 for c in out)


@FAST
@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps({"type": "FeatureCollection", "features": [v]}).encode()))
def test_any_bytes_parse_to_features_or_a_refusal(data: bytes) -> None:
    try:
        features = exchange.parse_geojson(data)
        exchange.records_from_features(features)
    except ImportFileError as exc:
        exc.message("en")


@FAST
@given(st.text(max_size=300))
def test_any_cookie_value_is_a_token_or_nothing(value: str) -> None:
    assert sessions.unsign(value, b"k" * 32) is None


@FAST
@given(json_values)
def test_crs_members_are_wgs84_or_refused(crs: object) -> None:
    try:
        exchange.check_crs(crs)
    except HotspotError:
        return
    assert crs is None or crs["properties"]["name"] in exchange._WGS84_NAMES  # type: ignore[index]
