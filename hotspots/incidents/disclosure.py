"""Who sees what: analysts and staff see points; council and the public only protected aggregates.

This module decides every figure about incidents that a *protected* role (council, the public,
or any output asked for with ``--aggregate``) receives: pages, the command line, CSV/GeoJSON
exports, the review pack, map popups and what the browser is sent. The rule (README,
"Disclosure control"):

1. **One grain.** Counts per square cell of :data:`settings.INCIDENT_CELL_M` metres, per unit
   or per hotspot, each for **one half-year** (the review period). No other window: two
   overlapping windows differ by the incidents between their ends (:func:`window`).
2. **Primary suppression.** A count from 1 to :data:`settings.INCIDENT_SUPPRESS_BELOW` - 1 is
   shown as ``"<5"``.
3. **Secondary suppression.** A row's total and its parts are audited together
   (:mod:`hotspots.incidents.suppression`) so that no "<5" can be worked out by subtraction;
   counts withheld for that read ``"[c]"``. No total across rows (a city-wide figure) is shown
   beside them.
4. **Statistics from the protected table only.** Gi* z-scores, p-values and classes, emerging
   labels and trend tests shown to protected roles are computed from counts in which every
   1-4 counts as 1 (:func:`floored`), and trend tests from the shown series; so they tell
   nothing the shown counts do not. A displacement quotient or a PAI resting on a count
   below 5 is withheld.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.accounts import auth
from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.incidents import counts, periods, suppression
from hotspots.incidents.config import load_config
from hotspots.incidents.table import INTERNAL
from hotspots.plan import model


#: The only period kind protected roles see: the review period.
PROTECTED_KIND = "half"

#: Export formats of incidents.
FORMATS: tuple[str, ...] = ("geojson", "csv")


def sees_points(role: str | None) -> bool:
    """Return whether ``role`` may see incident points (analyst, staff, admin).

    Examples
    --------
    >>> sees_points("analyst"), sees_points("council"), sees_points(None)
    (True, False, False)
    """
    return auth.can(role, "view_incident_points")


def protected(role: str | None, *, aggregate: bool = False) -> bool:
    """Return whether outputs for ``role`` (or any output asked for as ``aggregate``) go through the rules above.

    Examples
    --------
    >>> protected("council"), protected("analyst"), protected("analyst", aggregate=True)
    (True, False, True)
    """
    return aggregate or not sees_points(role)


def half_bounds(label: str) -> tuple[str, str]:
    """Return the first and last day of a half-year ``YYYY-H1``/``YYYY-H2``.

    Examples
    --------
    >>> half_bounds("2023-H2")
    ('2023-07-01', '2023-12-31')
    """
    year, half = label[:4], label[-1]
    return (f"{year}-01-01", f"{year}-06-30") if half == "1" else (f"{year}-07-01", f"{year}-12-31")


def is_half(label: str | None) -> bool:
    """Return whether ``label`` names one half-year (``2023-H1``).

    Examples
    --------
    >>> is_half("2023-H1"), is_half("2023-Q1"), is_half(None)
    (True, False, False)
    """
    text = str(label or "")
    return len(text) == 7 and text[:4].isdigit() and text[4:6] == "-H" and text[6] in "12"


def window(start: str | None, end: str | None, period: str | None = None) -> str:
    """Return the one half-year a protected output covers, from ``period`` or exact ``start``/``end``.

    Raises
    ------
    ValidationError
        ``err_disclosure_window`` unless the window is exactly one half-year: two windows that
        overlap differ by the incidents between their ends, so no other window is served.

    Examples
    --------
    >>> window("2023-07-01", "2023-12-31"), window(None, None, "2023-H1")
    ('2023-H2', '2023-H1')
    >>> window("2023-07-02", "2023-12-31")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hotspots.base.errors.ValidationError: Council and public figures cover exactly one half-year ...
    """
    if period is not None and start is None and end is None and is_half(period):
        return period
    if period is None and start and end and len(start) == 10:
        label = f"{start[:4]}-H{1 if start[5:7] <= '06' else 2}"
        if (start, end) == half_bounds(label):
            return label
    raise ValidationError("err_disclosure_window", start=start or "", end=end or "", period=period or "")


def in_half(incidents: pd.DataFrame, label: str) -> pd.DataFrame:
    """Return the incidents of one half-year (ISO ``occurred_on``)."""
    first, last = half_bounds(label)
    if len(incidents) == 0:
        return incidents
    day = incidents["occurred_on"].astype(str).str[:10]
    return incidents[(day >= first) & (day <= last)]


def floored(values: np.ndarray, *, below: int | None = None) -> np.ndarray:
    """Return counts with every 1 to ``below`` - 1 counted as 1: the input of statistics shown to protected roles.

    Examples
    --------
    >>> floored(np.array([0, 1, 3, 4, 5, 9])).tolist()
    [0.0, 1.0, 1.0, 1.0, 5.0, 9.0]
    """
    limit = settings.INCIDENT_SUPPRESS_BELOW if below is None else below
    x = np.asarray(values, dtype=float)
    return np.where((x >= 1) & (x < limit), 1.0, x)


def suppressed(values: pd.Series, *, below: int | None = None) -> pd.Series:
    """Return counts as text, with every count from 1 to ``below``-1 shown as ``"<below>"``.

    Examples
    --------
    >>> list(suppressed(pd.Series([0, 3, 4, 5, 12])))
    ['0', '<5', '<5', '5', '12']
    """
    limit = settings.INCIDENT_SUPPRESS_BELOW if below is None else below
    ints = values.astype(int)
    return ints.astype(str).where((ints == 0) | (ints >= limit), f"<{limit}").astype(object)


def suppress_table(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Return ``table`` with the count ``columns`` suppressed (see :func:`suppressed`)."""
    return table.assign(**{c: suppressed(table[c]) for c in columns})


def offence_classes() -> list[str]:
    """Return every offence class of ``geodata/incidents.yaml``, in its order (the columns of protected tables)."""
    return list(load_config().offences)


def category_classes() -> dict[str, list[str]]:
    """Return the offence classes of each hotspot category (by the plan problem they serve)."""
    cfg = load_config()
    return {str(cat): [o for o in cfg.offences if cfg.problem(o) == problem] for cat, problem in model.CATEGORY_PROBLEM.items()}


def protect_counts(table: pd.DataFrame, keys: Sequence[str], *, categories: bool = False) -> pd.DataFrame:
    """Return a count table (``keys``, ``total``, one column per offence class) as protected roles see it: text.

    Primary and secondary suppression on every row (:mod:`hotspots.incidents.suppression`):
    the equations are ``total`` = the classes and, with ``categories``, one added column per
    hotspot category = its classes. Offence classes missing from ``table`` count as 0.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["1"], "period": ["2023-H1"], "total": [9], "drugs": [6], "theft": [3]})
    >>> protect_counts(t, ["unit", "period"])[["total", "drugs", "theft"]].values.tolist()
    [['9', '[c]', '<5']]
    """
    classes = offence_classes()
    extra = [c for c in table.columns if c not in (*keys, "total") and c not in classes]
    if extra:
        raise ValueError(f"not offence classes: {extra}")
    body = table.reindex(columns=["total", *classes], fill_value=0).fillna(0).astype(np.int64)
    columns = ["total", *classes]
    equations = [suppression.Equation(0, tuple(range(1, len(columns))))]
    if categories:
        for cat, members in category_classes().items():
            if cat in classes and members == [cat]:
                continue  # the category is its one class: the same column, no new sum
            body[cat] = body[members].sum(axis=1) if members else 0
            columns.append(cat)
            equations.append(suppression.Equation(len(columns) - 1, tuple(1 + classes.index(m) for m in members)))
    values = body[columns].to_numpy(dtype=np.int64)
    below = settings.INCIDENT_SUPPRESS_BELOW
    if len(equations) > 1:  # a sum of sums: total = the categories' sums + the other classes
        groups = [(eq.total, *eq.parts) for eq in equations[1:]]
        inside = {p for eq in equations[1:] for p in eq.parts}
        top = [i for i in range(1, 1 + len(classes)) if i not in inside]
        status = suppression.protect_nested(values, top, groups, below)
    else:
        status = suppression.protect(values, equations, below)
    text = suppression.text(values, status, below)
    out = table[list(keys)].reset_index(drop=True).copy()
    shown = [c for c in columns if c in table.columns or c not in classes]
    for c in shown:
        out[c] = text[:, columns.index(c)]
    return out


def shown_totals(table: pd.DataFrame) -> pd.Series:
    """Return the ``total`` of every row of a count table as protected roles see it (text, same index).

    With the offence-class columns, the totals of :func:`protect_counts` (secondary
    suppression included: the same figure wherever the row is shown); without them, "<5" for
    1-4.

    Examples
    --------
    >>> shown_totals(pd.DataFrame({"total": [9, 3, 0]})).tolist()
    ['9', '<5', '0']
    """
    classes = [c for c in offence_classes() if c in table.columns]
    if not classes or len(table) == 0:
        return pd.Series(suppressed(table["total"]).to_numpy() if len(table) else [], index=table.index, dtype=object)
    keys = [c for c in table.columns if c not in ("total", *offence_classes())]
    body = table[[*keys, "total", *classes]]
    return pd.Series(protect_counts(body, keys)["total"].to_numpy(), index=table.index, dtype=object)


def ordinal(text: str) -> int | None:
    """Return a shown count as a number a rank test can use: "<5" as 2 (below 5, above 0, ties among them); "[c]" None.

    Examples
    --------
    >>> ordinal("12"), ordinal("<5"), ordinal("0"), ordinal("[c]")
    (12, 2, 0, None)
    """
    if text == suppression.SECONDARY_MARK:
        return None
    if text.startswith("<"):
        return 2
    return int(text)


def unit_table(incidents: pd.DataFrame, *, categories: bool = False) -> pd.DataFrame:
    """Return the protected incidents per unit and half-year: ``unit``, ``period``, ``total``, the classes (text).

    Always protected together with the plan categories' sums (the trend tables show them),
    so that no output about units can be set against another; ``categories`` only adds
    their columns to what is returned.
    """
    table = counts.counts_by_unit(incidents, kind=PROTECTED_KIND, offences=offence_classes())
    shown = protect_counts(table, ["unit", "period"], categories=True)
    return shown if categories else shown.drop(columns=[c for c in shown.columns if c not in table.columns])


def hotspot_table(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, *,
                  radius_m: float | None = None) -> pd.DataFrame:
    """Return the protected incidents per located hotspot and half-year: ``id``, ``period``, ``total``, the classes (text)."""
    table = counts.counts_by_hotspot(incidents, observations, kind=PROTECTED_KIND, offences=offence_classes(),
                                     radius_m=radius_m)
    return protect_counts(table, ["id", "period"])


def text_trends(wide: pd.DataFrame) -> pd.DataFrame:
    """Return the exact Mann-Kendall test of every row of a table of shown counts (rows = places, columns = half-years).

    The test sees what the reader sees (:func:`ordinal`): "<5" as one value below 5 (ties
    among them); a series holding "[c]" is not tested (label ``withheld``). ``series`` holds the texts.
    """
    periods = [str(c) for c in wide.columns]
    span = f"{periods[0]}…{periods[-1]}" if periods else ""
    names = list(wide.index.names)
    rows = []
    for key, texts in zip(wide.index, wide.astype(str).to_numpy().tolist(), strict=True):
        numbers = [ordinal(x) for x in texts]
        test = None
        if periods and all(n is not None for n in numbers):
            test = counts.series_trends(pd.DataFrame([numbers], columns=periods)).iloc[0]
        keys = dict(zip(names, key if isinstance(key, tuple) else (key,), strict=True))
        rows.append({**keys, "periods": span, "series": texts, "s": None if test is None else test["s"],
                     "p_value": None if test is None else test["p_value"],
                     "min_p": None if test is None else test["min_p"],
                     "label": ("withheld" if periods else "not_testable") if test is None else test["label"]})
    return pd.DataFrame(rows, columns=[*names, "periods", "series", "s", "p_value", "min_p", "label"])


def _finished_halves(table: pd.DataFrame, today: str | None) -> list[str]:
    if len(table) == 0:
        return []
    now = today or settings.today().isoformat()
    return [p for p in periods.period_range(min(table["period"]), max(table["period"])) if half_bounds(p)[1] < now]


def unit_trends(incidents: pd.DataFrame, *, today: str | None = None) -> pd.DataFrame:
    """Return the exact Mann-Kendall test per unit and category on the protected half-year series (:func:`text_trends`)."""
    table = unit_table(incidents, categories=True)
    cats = list(category_classes())
    long = table.melt(id_vars=["unit", "period"], value_vars=cats, var_name="category", value_name="shown")
    periods = _finished_halves(table, today)
    units_ = [str(u) for u in settings.UNIT_NUMBERS] + (["none"] if (table["unit"] == "none").any() else [])
    wide = long.pivot_table(index=["unit", "category"], columns="period", values="shown", aggfunc="first")
    grid = pd.MultiIndex.from_product([units_, cats], names=["unit", "category"])
    wide = wide.reindex(index=grid, columns=periods).fillna("0")
    out = text_trends(wide)
    out["unit"] = [int(u) if u != "none" else "none" for u in out["unit"]]
    return out


def hotspot_trends(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, *, today: str | None = None) -> pd.DataFrame:
    """Return the exact Mann-Kendall test per hotspot on its protected half-year totals (:func:`text_trends`)."""
    table = hotspot_table(incidents, observations)
    periods = _finished_halves(table, today)
    wide = table.pivot_table(index="id", columns="period", values="total", aggfunc="first")
    return text_trends(wide.reindex(columns=periods).fillna("0"))


def cell_table(incidents: gpd.GeoDataFrame, period: str, *, size_m: float | None = None) -> gpd.GeoDataFrame:
    """Return the protected cells of one half-year: ``cell``, ``period``, ``total``, the classes (text), ``geometry``.

    Only cells holding an incident of the half-year; the same table feeds the council's map,
    its exports and every per-class view, so no two of them can be set against each other.
    """
    size = settings.INCIDENT_CELL_M if size_m is None else size_m
    classes = offence_classes()
    chosen = in_half(incidents, period)
    placed = chosen[chosen.geometry.notna() & ~chosen.geometry.is_empty] if len(chosen) else chosen
    if len(placed) == 0:
        return gpd.GeoDataFrame({"cell": [], "period": [], "total": [], **{c: [] for c in classes}}, geometry=[],
                                crs=settings.CRS_STORE)
    m = placed.geometry.to_crs(settings.CRS_METRIC)
    frame = pd.DataFrame({"ix": np.floor(m.x.to_numpy() / size).astype(np.int64),
                          "iy": np.floor(m.y.to_numpy() / size).astype(np.int64),
                          "offence": pd.Categorical(placed["offence"].to_numpy(), categories=classes)})
    wide = frame.groupby(["ix", "iy", "offence"], observed=False).size().unstack("offence", fill_value=0)
    wide = wide.reindex(columns=classes, fill_value=0)
    wide = wide[wide.sum(axis=1) > 0]
    wide.insert(0, "total", wide.sum(axis=1))
    wide = wide.reset_index()
    wide.insert(0, "cell", wide["ix"].astype(str) + ":" + wide["iy"].astype(str))
    wide.insert(1, "period", period)
    shown = protect_counts(wide.drop(columns=["ix", "iy"]), ["cell", "period"])
    boxes = shapely.box(wide["ix"] * size, wide["iy"] * size, (wide["ix"] + 1) * size, (wide["iy"] + 1) * size)
    cells = gpd.GeoSeries(boxes, crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE)
    return gpd.GeoDataFrame(shown, geometry=cells.to_numpy(), crs=settings.CRS_STORE).sort_values("cell").reset_index(drop=True)


def cell_counts(incidents: gpd.GeoDataFrame, *, size_m: float | None = None) -> gpd.GeoDataFrame:
    """Return the number of placed incidents per square cell, cells in EPSG:4326.

    Columns: ``cell`` (``"ix:iy"`` of the EPSG:32634 grid), ``count``, ``geometry``. Only
    cells holding an incident are returned.
    """
    size = settings.INCIDENT_CELL_M if size_m is None else size_m
    placed = incidents[incidents.geometry.notna()]
    if placed.empty:
        return gpd.GeoDataFrame({"cell": [], "count": []}, geometry=[], crs=settings.CRS_STORE)
    m = placed.geometry.to_crs(settings.CRS_METRIC)
    ix = np.floor(m.x.to_numpy() / size).astype(np.int64)
    iy = np.floor(m.y.to_numpy() / size).astype(np.int64)
    grouped = pd.DataFrame({"ix": ix, "iy": iy}).value_counts().rename("count").reset_index()
    boxes = shapely.box(grouped["ix"] * size, grouped["iy"] * size, (grouped["ix"] + 1) * size, (grouped["iy"] + 1) * size)
    cells = gpd.GeoSeries(boxes, crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE)
    cell_id = grouped["ix"].astype(str) + ":" + grouped["iy"].astype(str)
    return gpd.GeoDataFrame({"cell": cell_id, "count": grouped["count"].astype(int)}, geometry=cells.to_numpy(),
                            crs=settings.CRS_STORE).sort_values("cell").reset_index(drop=True)


def public_cells(incidents: gpd.GeoDataFrame, *, period: str | None = None, offence: str | None = None,
                 size_m: float | None = None) -> gpd.GeoDataFrame:
    """Return the cells council and the public see for one half-year: ``cell``, ``count`` (text), ``geometry``.

    ``count`` is the protected ``total`` or the protected count of one ``offence`` class of
    :func:`cell_table`; cells where it is 0 are left out. ``period`` defaults to the latest
    half-year holding an incident.
    """
    label = period or latest_half(incidents)
    if label is None:
        return gpd.GeoDataFrame({"cell": [], "count": []}, geometry=[], crs=settings.CRS_STORE)
    table = cell_table(incidents, label, size_m=size_m)
    column = "total" if offence is None else offence
    keep = table[column] != "0" if len(table) else np.zeros(0, dtype=bool)
    return gpd.GeoDataFrame({"cell": table["cell"][keep], "count": table[column][keep]},
                            geometry=table.geometry[keep], crs=settings.CRS_STORE).reset_index(drop=True)


def latest_half(incidents: pd.DataFrame) -> str | None:
    """Return the latest half-year holding an incident, or None."""
    if len(incidents) == 0:
        return None
    last = str(incidents["occurred_on"].astype(str).max())[:10]
    return f"{last[:4]}-H{1 if last[5:7] <= '06' else 2}"


def halves(incidents: pd.DataFrame) -> list[str]:
    """Return every half-year from the first incident's to the last one's (the periods a protected role may choose)."""
    if len(incidents) == 0:
        return []
    days = incidents["occurred_on"].astype(str).str[:10]
    first, last = str(days.min()), str(days.max())
    return periods.period_range(f"{first[:4]}-H{1 if first[5:7] <= '06' else 2}", f"{last[:4]}-H{1 if last[5:7] <= '06' else 2}")


def point_table(incidents: gpd.GeoDataFrame, *, internal: bool = True) -> pd.DataFrame:
    """Return incidents as a table for analysts (reference and address only when ``internal``)."""
    table = pd.DataFrame(incidents.drop(columns=incidents.geometry.name))
    return table if internal else table.drop(columns=[c for c in INTERNAL if c in table])


def export_bytes(incidents: gpd.GeoDataFrame, fmt: str, *, role: str | None, aggregate: bool = False,
                 period: str | None = None) -> bytes:
    """Return incidents exported for ``role``: points for analysts/staff unless ``aggregate``; else protected cells.

    The protected export is :func:`cell_table` of one half-year (``period``, by default the
    latest): ``cell``, ``period``, ``total``, one column per offence class, the cell's shape.

    Raises
    ------
    ValueError
        If ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} not in {FORMATS}")
    if protected(role, aggregate=aggregate):
        label = period or latest_half(incidents) or ""
        cells = cell_table(incidents, label) if label else cell_table(incidents.iloc[:0], "2000-H1")
        if "dataset" in incidents and (incidents["dataset"] == "example").any():
            cells = cells.assign(dataset="example")  # marked as example data everywhere
        if fmt == "csv":
            table = pd.DataFrame(cells.drop(columns=cells.geometry.name))
            return table.assign(wkt=cells.geometry.to_wkt(rounding_precision=6)).to_csv(index=False).encode("utf-8")
        return cells.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")
    if fmt == "csv":
        return point_table(incidents).to_csv(index=False).encode("utf-8")
    props = point_table(incidents)
    features = [{"type": "Feature", "properties": {k: (None if pd.isna(v) else v) for k, v in row.items()},
                 "geometry": None if g is None else shapely.geometry.mapping(g)}
                for row, g in zip(props.astype(object).to_dict("records"), incidents.geometry, strict=True)]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, default=str).encode("utf-8")


def for_role(table: pd.DataFrame, role: str | None, *, keys: Sequence[str] = ("id", "name", "unit", "period")) -> pd.DataFrame:
    """Return a count table as ``role`` may see it: unchanged for analysts/staff, protected for others.

    A table with ``total`` and offence-class columns gets :func:`protect_counts` (secondary
    suppression included); any other count column gets "<5" for 1-4.
    """
    if sees_points(role):
        return table
    present = [k for k in keys if k in table.columns]
    if "total" in table.columns:
        classes = [c for c in table.columns if c not in (*present, "total")]
        shown = protect_counts(table[[*present, "total", *classes]], present)
        return shown[[*present, "total", *classes]]
    return suppress_table(table, [c for c in table.columns if c not in keys])
