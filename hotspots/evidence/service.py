"""The evidence per use case (command line, review page, review pack): tables as a role may see them, and sentences.

Each ``*_table`` function takes the incidents (and hotspots) of a dataset, one whole period and
the role it is for, and returns a table already passed through :mod:`hotspots.evidence.shown`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.base.errors import ValidationError
from hotspots.base.i18n import N_, t
from hotspots.base.labels import unit_words
from hotspots.evidence import compstat, concentration, forecast, found_hotspots, gi_views, harm, hotspot_detection
from hotspots.evidence import near_repeat, shown
from hotspots.evidence.concentration import cell_totals
from hotspots.incidents import counts as incident_counts
from hotspots.incidents import disclosure, periods
from hotspots.incidents import service as incident_service
from hotspots.incidents.config import load_config
from hotspots.plan import model
from hotspots.plan.store import Store


#: The measures the command line offers.
MEASURES: tuple[str, ...] = ("concentration", "forecast", "compstat", "near-repeat")
#: Message of a change more than chance, per direction; of each comparison's base.
CS_READING: dict[str, str] = {"up": N_("ev_cs_up"), "down": N_("ev_cs_down")}
CS_BASE: dict[str, str] = {"last": N_("ev_cs_vs_last"), "year": N_("ev_cs_vs_year"), "average": N_("ev_cs_vs_average")}
#: Fewest incidents of an offence class the near-repeat sentences test.
NEAR_REPEAT_MIN: int = 20


def whole_period(period: str) -> str:
    """Return ``period`` if it is one whole period (a half-year, quarter or month label).

    Raises
    ------
    ValidationError
        If it is a kind (``half``) or not a period: council and the public see whole periods only.

    Examples
    --------
    >>> whole_period("2023-H2")
    '2023-H2'
    """
    _kind, label = periods.parse_period(period)
    if label is None:
        raise ValidationError("err_inc_period", value=period)
    return label


def previous_period(period: str) -> str:
    """Return the period before ``period``.

    Examples
    --------
    >>> previous_period("2024-H1"), previous_period("2024-Q1")
    ('2023-H2', '2023-Q4')
    """
    kind, _ = periods.parse_period(period)
    return compstat._shift(period, kind, -1)


def _groups(incidents: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """Return (name, mask) of all incidents, each plan problem of a hotspot category and each offence class."""
    problem = incident_counts.incident_problems(incidents)
    out = [("all", pd.Series(True, index=incidents.index))]
    out += [(p, problem == p) for p in sorted(set(model.CATEGORY_PROBLEM.values()))]
    return out + [(str(o), incidents["offence"] == o) for o in sorted(incidents["offence"].dropna().unique())]


def concentration_table(incidents: gpd.GeoDataFrame, period: str, *, role: str | None, measure: str = "count",
                        harm_table: harm.HarmTable | None = None) -> pd.DataFrame:
    """Return the concentration figures of ``period`` per group (all, problem, offence class), by count or harm."""
    period = protected_period(period, role)
    chosen = hotspot_detection.in_period(incidents, period)
    grid = hotspot_detection.make_grid()
    weights = harm.weights_for(chosen, measure, harm_table)
    rows = []
    for name, mask in _groups(chosen):
        part = chosen[mask.to_numpy()]
        values = concentration.cell_totals(grid, part, None if weights is None else weights[mask.to_numpy()])
        rows.append({"period": period, "group": name, "measure": measure, "incidents": len(part),
                     **concentration.summary(values)})
    out = pd.DataFrame(rows)
    shares = [c for c in out.columns if c.startswith("top_")]
    out = shown.shares_of(shown.ratios(out, [*shares, "area_for_half"], "incidents", role), shares, "incidents", role)
    out = shown.shares_of(out, ["area_for_half"], "incidents", role, held=0.5)
    if not shown.sees_points(role):  # a city-wide count per class is a sum across the protected unit table's rows
        return out.assign(incidents=None, total=None)
    return out


def forecast_table(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, period: str, *,
                   role: str | None) -> pd.DataFrame:
    """Return the scores of the zones in force in ``period`` on the next period, with the Gi* hot-cell stability per problem.

    Council and the public get no city-wide count (``incidents``, ``incidents_before``: sums across
    the protected unit table's rows); the counts inside the zones read "<5" for 1-4.
    """
    period = protected_period(period, role)
    table = forecast.scores(incidents, observations, period)
    stable = {p: _stability(incidents, period, p) for p in table["problem"].unique()}
    for key in ("hot_before", "hot_after", "kept", "jaccard"):
        values = [stable[p][key] if o == "all" else None for p, o in zip(table["problem"], table["offence"], strict=True)]
        table[key] = pd.Series(values, dtype="Float64" if key == "jaccard" else "Int64")
    table = shown.ratios(table, ["hit_rate", "pai", "rri"], "inside", role)  # hit rate × incidents = inside
    table = shown.ratios(table, ["rri"], "inside_before", role)
    for column in ("incidents_before", "inside_before", "incidents", "inside"):
        table[column] = shown.counts(table[column], role)
    if not shown.sees_points(role):
        table = table.assign(incidents=None, incidents_before=None)
    return table


def _stability(incidents: gpd.GeoDataFrame, period: str, problem: str) -> dict[str, float | int | None]:
    mine = incidents[(incident_counts.incident_problems(incidents) == problem).to_numpy()]
    first = forecast.hot_cells(hotspot_detection.detect(mine, period=period))
    second = forecast.hot_cells(hotspot_detection.detect(mine, period=forecast.next_period(period)))
    return forecast.stability(first, second)


def protected_period(period: str, role: str | None) -> str:
    """Return ``period`` for ``role``: any whole period for analysts, exactly one half-year for council and the public.

    Raises
    ------
    ValidationError
        ``err_disclosure_window`` for a protected role and anything but one half-year (see
        :func:`hotspots.incidents.disclosure.window`).
    """
    period = whole_period(period)
    return period if shown.sees_points(role) else disclosure.window(None, None, period)


def compstat_table(incidents: gpd.GeoDataFrame, period: str, *, role: str | None,
                   offence: str | None = None) -> pd.DataFrame:
    """Return the CompStat rows of ``period`` per unit (``offence``: one class, else all).

    Council and the public get the counts of the protected unit table
    (:func:`hotspots.incidents.disclosure.unit_table`: "<5", "[c]") and a comparison only where
    every count it rests on is shown as a number; elsewhere its base, change, p and reading are
    withheld (the change and p of a "<5" or "[c]" would give it back).
    """
    period = protected_period(period, role)
    kind, _ = periods.parse_period(period)
    if not shown.sees_points(role):
        return _protected_compstat(incidents, period, offence)
    chosen = incidents if offence is None else incidents[incidents["offence"] == offence]
    table = compstat.table(incident_counts.counts_by_unit(chosen, kind=kind), period)
    table.insert(1, "period", period)
    return table


def _protected_compstat(incidents: gpd.GeoDataFrame, period: str, offence: str | None) -> pd.DataFrame:
    column = "total" if offence is None else offence
    protected = disclosure.unit_table(incidents)
    texts = protected.pivot_table(index="unit", columns="period", values=column, aggfunc="first")
    rows = []
    for unit in texts.index:
        series = {str(p): str(v) for p, v in texts.loc[unit].items() if isinstance(v, str)}
        now = series.get(period, "0")
        row: dict[str, object] = {"unit": unit, "period": period, "now": now}
        for comparison in compstat.COMPARISONS:
            bases = [series.get(b, "0") for b in compstat.base_periods(period, comparison)]
            if now.isdigit() and all(b.isdigit() for b in bases):
                test = compstat.two_counts(int(now), sum(int(b) for b in bases), k=len(bases))
                row.update({f"{comparison}_base": round(sum(int(b) for b in bases) / len(bases), 1),
                            f"{comparison}_change": test.change, f"{comparison}_p": round(test.p_mid, 4),
                            f"{comparison}_reading": test.reading})
            else:
                row.update({f"{comparison}_base": bases[0] if len(bases) == 1 else None, f"{comparison}_change": None,
                            f"{comparison}_p": None, f"{comparison}_reading": "withheld"})
        rows.append(row)
    columns = ["unit", "period", "now", *(f"{c}_{x}" for c in compstat.COMPARISONS for x in ("base", "change", "p", "reading"))]
    return pd.DataFrame(rows, columns=columns)


def near_repeat_table(incidents: gpd.GeoDataFrame, period: str, *, role: str | None, offence: str | None = None,
                      permutations: int = near_repeat.PERMUTATIONS, seed: int = 0) -> pd.DataFrame:
    """Return the Knox table of ``period``'s incidents (of ``offence``, else all) with the period and class."""
    chosen = hotspot_detection.in_period(incidents, protected_period(period, role))
    chosen = chosen if offence is None else chosen[chosen["offence"] == offence]
    frame = near_repeat.knox_incidents(chosen, permutations=permutations, seed=seed).frame()
    frame = shown.ratios(frame, ["ratio"], "observed", role)
    frame = frame.assign(observed=shown.counts(frame["observed"], role))
    frame.insert(0, "offence", offence or "all")
    frame.insert(0, "period", period)
    return frame.assign(permutations=permutations, seed=seed)


def _num(value: object) -> float | None:
    """Return ``value`` as a float, None when it is missing or not a number.

    Examples
    --------
    >>> _num(0.5), _num(None), _num(float("nan")), _num("<5")
    (0.5, None, None, None)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or pd.isna(value):
        return None
    return float(value)


def _pct(value: object) -> str:
    number = _num(value)
    if number is None:
        return "–"
    return f"{100 * number:.0f} %" if number == 0 or number >= 0.095 else f"{100 * number:.1f} %"


def _fixed(value: object, digits: int) -> str:
    number = _num(value)
    return "–" if number is None else f"{number:.{digits}f}"


def group_name(group: str, lang: str) -> str:
    """Return a group of the tables (``all``, a plan problem, an offence class) in words."""
    if group == "all":
        return t("ev_group_all", lang)
    config = load_config()
    if group in config.offences:
        return config.label(group, lang)
    return t("ev_group_problem", lang, problem=group)


def measure_label(measure: str, lang: str, table: harm.HarmTable | None = None) -> str:
    """Return what a figure is measured in: by count, or by harm (saying when the weights are only an example)."""
    if measure == "count":
        return t("ev_by_count", lang)
    return t("ev_by_harm_example", lang) if (table or harm.load()).example else t("ev_by_harm", lang)


def concentration_sentences(table: pd.DataFrame, lang: str) -> list[str]:
    """Return one sentence per group of :func:`concentration_table` whose shares are shown."""
    out = []
    for row in table.to_dict("records"):
        if _num(row["area_for_half"]) is None or _num(row["top_5"]) is None:
            continue
        out.append(t("ev_conc_sentence", lang, group=group_name(str(row["group"]), lang), period=row["period"],
                     top=_pct(row["top_5"]), half=_pct(row["area_for_half"]),
                     measure=measure_label(str(row["measure"]), lang)))
    return out


def forecast_sentences(table: pd.DataFrame, lang: str) -> list[str]:
    """Return one sentence per row of :func:`forecast_table` with zones and shown figures, and one per stability."""
    out = []
    for row in table.to_dict("records"):
        group = group_name(str(row["offence"] if row["offence"] != "all" else row["problem"]), lang)
        if row["zones"] and _num(row["pai"]) is not None:
            out.append(t("ev_fc_sentence", lang, period=row["period"], next=row["next"], group=group,
                         hit=_pct(row["hit_rate"]), area=f"{100 * float(row['area_share']):.1f} %",
                         pai=_fixed(row["pai"], 1), rri=_fixed(row["rri"], 2)))
        if row["offence"] == "all" and (_num(row["hot_before"]) or _num(row["hot_after"])):
            out.append(t("ev_stab_sentence", lang, group=group, period=row["period"], next=row["next"],
                         n=int(row["hot_before"]), kept=int(row["kept"]), after=int(row["hot_after"]),
                         jaccard=_fixed(row["jaccard"], 2)))
    return out


def compstat_sentences(table: pd.DataFrame, lang: str) -> list[str]:
    """Return a sentence for each change that a test says is more than chance (none: one sentence saying so)."""
    out = []
    for row in table.to_dict("records"):
        for comparison in compstat.COMPARISONS:
            reading = row[f"{comparison}_reading"]
            if reading in ("chance", "withheld"):  # withheld: a count it rests on is "<5" or "[c]"
                continue
            change = row[f"{comparison}_change"]
            out.append(t(CS_READING[reading], lang, unit=unit_words(row["unit"], lang) if row["unit"] != "none"
                         else t("no_unit", lang), period=row["period"], base=t(CS_BASE[comparison], lang),
                         change="–" if _num(change) is None else f"{abs(float(change)):.0f} %",
                         p=_fixed(row[f"{comparison}_p"], 3)))
    return out or [t("ev_cs_none", lang, alpha=compstat.ALPHA)]


def near_repeat_sentence(table: pd.DataFrame, lang: str) -> str:
    """Return the reading of one Knox table in words (how far and how long the risk stays raised, or not)."""
    raised = table[table["raised"]]
    first = table.iloc[0]
    name = group_name(str(first["offence"]), lang)
    near = raised[(raised["space_from"] == 0) & (raised["days_from"] == 0)]
    if near.empty:
        return t("ev_nr_none", lang, offence=name, n=int(first["permutations"]), period=first["period"])
    metres = _run(table, "space_from", "days_from", "space_to")
    days = _run(table, "days_from", "space_from", "days_to")
    return t("ev_nr_sentence", lang, offence=name, m=f"{metres:g}", days=int(days), period=first["period"],
             ratio=_fixed(near["ratio"].iloc[0], 1), n=int(first["permutations"]),
             seed=int(first["seed"]))


def _run(table: pd.DataFrame, along: str, other: str, end: str) -> float:
    """Return the end of the run of raised bands from the nearest one along ``along`` (the other axis at 0)."""
    line = table[table[other] == 0].sort_values(along)
    stop = line["raised"].to_numpy().argmin() if not line["raised"].all() else len(line)
    return float(line[end].iloc[max(stop - 1, 0)])


def near_repeat_sentences(incidents: gpd.GeoDataFrame, period: str, lang: str, *, role: str | None,
                          permutations: int = near_repeat.PERMUTATIONS, seed: int = 0) -> list[str]:
    """Return the Knox reading of each offence class with at least :data:`NEAR_REPEAT_MIN` incidents in ``period``."""
    chosen = hotspot_detection.in_period(incidents, whole_period(period))
    sizes = chosen["offence"].value_counts()
    return [near_repeat_sentence(near_repeat_table(incidents, period, role=role, offence=str(o),
                                                   permutations=permutations, seed=seed), lang)
            for o in sorted(sizes[sizes >= NEAR_REPEAT_MIN].index)]


def gi_by_harm_frame(incidents: gpd.GeoDataFrame, period: str, *, role: str | None, offence: str | None = None,
                     size_m: float | None = None) -> gpd.GeoDataFrame:
    """Return the Gi* cells of ``period`` by harm: ``harm`` (sum of weights), ``incidents``, z, p, label, ``weights``.

    For council and the public the number of incidents goes through :func:`shown.counts`, and a
    cell's harm is withheld where it rests on 1 to 4 incidents (a weight times a small count).
    """
    table = harm.load()
    det = harm.detect_by_harm(incidents, period=whole_period(period), offence=offence, size_m=size_m, table=table)
    frame = det.frame().rename(columns={"count": "harm"})
    chosen = hotspot_detection.in_period(incidents, period)
    chosen = chosen if offence is None else chosen[chosen["offence"] == offence]
    frame.insert(2, "incidents", cell_totals(det.grid, chosen).astype(int))
    shown_frame = shown.ratios(frame, ["harm"], "incidents", role)
    out = gpd.GeoDataFrame(shown_frame, geometry=frame.geometry.name, crs=frame.crs)
    return out.assign(incidents=shown.counts(out["incidents"], role), measure="harm",
                      weights="example" if table.example else "table")


def gi_evidence(store: Store, period: str, *, dataset: str, protect: bool,
                incidents: gpd.GeoDataFrame | None = None,
                observations: gpd.GeoDataFrame | None = None) -> gi_views.Evidence:
    """Return the Gi* evidence of ``period``: hot cells, emerging hot spots, designated against found, displacement.

    The proposals staff dismissed in ``store`` stay dismissed; with ``protect`` (council, the
    public) the figures follow the disclosure rules. ``incidents`` and ``observations`` are read
    from ``store`` unless given (the pages' cached frames, the pack's shared ones).
    """
    if incidents is None or observations is None:
        incidents, observations = incident_service.read_with_hotspots(store, dataset=dataset)
    return gi_views.build(incidents, observations, period, dismissed=found_hotspots.dismissed_keys(store), protect=protect)
