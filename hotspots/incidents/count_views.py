"""Counts of incidents as people read them: named tables, popup texts, pairs of periods, with "<5" where a role needs it."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hotspots.base import settings
from hotspots.base.i18n import t
from hotspots.base.labels import INCIDENT_COLUMN, hotspot_names, label
from hotspots.incidents.config import load_config
from hotspots.incidents.disclosure import shown_totals


def popup_lines(counts: pd.DataFrame, hotspot_id: str, lang: str, *, last: int = 2) -> str:
    """Return "12 in 2023-H2, 8 in 2023-H1" for a hotspot: its latest periods first (see :func:`popup_texts`)."""
    return popup_texts(counts, [hotspot_id], lang, last=last)[0]


def named(table: pd.DataFrame, observations: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a per-hotspot count table with the hotspot's name (English name in ``en`` when given) after its id."""
    names = observations.drop_duplicates("id", keep="last").set_index("id")
    out = table.copy()
    out.insert(1, "name", out["id"].map(hotspot_names(names, lang)))
    return out


def pai_for_role(pai: pd.DataFrame, sees_points: bool) -> pd.DataFrame:
    """Return the PAI table; without points only the ratios, withheld ("[c]") where they rest on a count of 1-4.

    A hit rate is incidents inside / all incidents: where either the inside or the outside
    count is from 1 to 4, the hit rate and the PAI would let it be worked out from the other
    tables, so neither is shown.

    Examples
    --------
    >>> pai = pd.DataFrame({"period": ["2023-H1", "2023-H2"], "problem": ["1.7", "1.7"], "hotspots": [2, 2],
    ...                     "incidents": [40, 30], "inside": [3, 12], "hit_rate": [0.075, 0.4],
    ...                     "area_km2": [0.1, 0.1], "area_share": [0.01, 0.01], "pai": [7.5, 40.0]})
    >>> pai_for_role(pai, False)[["hit_rate", "pai"]].values.tolist()
    [['[c]', '[c]'], [0.4, 40.0]]
    """
    if sees_points:
        return pai
    out = pai[["period", "problem", "hotspots", "hit_rate", "area_share", "pai"]].copy()
    below = settings.INCIDENT_SUPPRESS_BELOW
    inside, outside = pai["inside"], pai["incidents"] - pai["inside"]
    risky = ((inside >= 1) & (inside < below)) | ((outside >= 1) & (outside < below))
    for col in ("hit_rate", "pai"):
        out[col] = out[col].astype(object).where(~risky, "[c]")
    return out


def display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a count, PAI or report table with its column headers in ``lang`` (offence classes by name)."""
    config = load_config()
    names = {c: config.label(c, lang) for c in config.offences}
    names.update({c: label(INCIDENT_COLUMN, c, lang) for c in table.columns if c not in names})
    return table.rename(columns=names)


def pair_columns(details: pd.DataFrame, id_column: str, table: pd.DataFrame, a: str, b: str, lang: str, *,
                 suppress: bool) -> pd.DataFrame:
    """Return ``details`` (one row per hotspot) with its incidents in periods ``a`` and ``b`` added as two columns.

    ``table`` is :func:`counts_by_hotspot` output (half-years); hotspots without a place get
    no number. With ``suppress``, counts below 5 are shown as "<5".
    """
    out = details.copy()
    totals = shown_totals(table) if suppress else table["total"]
    for period in (a, b):
        per = pd.Series(totals[table["period"] == period].to_numpy(), index=table.loc[table["period"] == period, "id"])
        values = out[id_column].map(per)
        out[t("inc_col_in", lang, period=period)] = values.astype(object).where(values.notna(), "")
    return out


# -- counts where the hotspots are read (popups, review, pack, movement, trends) --
def popup_texts(table: pd.DataFrame, ids: Sequence[str], lang: str, *, upto: str | None = None,
                suppress: bool = False, last: int = 2) -> list[str]:
    """Return, per hotspot of ``ids`` (in order), "12 in 2023-H2, 8 in 2023-H1" ("" without a count).

    ``table`` is :func:`counts_by_hotspot` output (half-years); only periods up to ``upto``
    count, the latest ``last`` of them first. With ``suppress`` (council, the public) the
    totals are those of :func:`hotspots.incidents.disclosure.shown_totals` ("<5", "[c]").
    Vectorised over the table: one pass, no loop per row.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["A", "A", "A", "B"], "period": ["2023-H1", "2023-H2", "2024-H1", "2023-H2"],
    ...                       "total": [8, 12, 3, 2]})
    >>> popup_texts(table, ["A", "B", "C"], "en", upto="2023-H2")
    ['12 in 2023-H2, 8 in 2023-H1', '2 in 2023-H2', '']
    >>> popup_texts(table, ["B"], "en", suppress=True)
    ['<5 in 2023-H2']
    """
    rows = table if upto is None else table[table["period"] <= upto]
    rows = rows.sort_values(["id", "period"], ascending=[True, False]).groupby("id", sort=False).head(last)
    if rows.empty:
        return [""] * len(ids)
    numbers = shown_totals(table).loc[rows.index] if suppress else rows["total"].astype(int).astype(str)
    template = t("inc_in_period", lang, n="\0", period="\1")
    text = [template.replace("\0", n).replace("\1", p)
            for n, p in zip(numbers, rows["period"], strict=True)]  # <= last per hotspot
    joined = pd.Series(text, index=rows.index).groupby(rows["id"].to_numpy(), sort=False).agg(", ".join)
    return [str(joined.get(i, "")) for i in ids]


def pair_counts(ids: pd.Series, table: pd.DataFrame, a: str, b: str, *, suppress: bool = False) -> pd.DataFrame:
    """Return each hotspot's incidents in periods ``a`` and ``b`` (columns ``incidents_from``, ``incidents_to``).

    ``table`` is :func:`counts_by_hotspot` output; a hotspot without a place gets no number
    (NA, or "" with ``suppress``, where counts from 1 to 4 read "<5").

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["A", "A"], "period": ["2023-H1", "2023-H2"], "total": [8, 3]})
    >>> pair_counts(pd.Series(["A", "B"]), table, "2023-H1", "2023-H2", suppress=True).values.tolist()
    [['8', '<5'], ['', '']]
    """
    out: dict[str, pd.Series] = {}
    texts = shown_totals(table) if suppress else None
    for name, period in (("incidents_from", a), ("incidents_to", b)):
        of_period = table["period"] == period
        if texts is not None:
            per = pd.Series(texts[of_period].to_numpy(), index=table.loc[of_period, "id"])
            out[name] = ids.map(per).astype(object).where(ids.map(per).notna(), "")
        else:
            out[name] = ids.map(table[of_period].set_index("id")["total"]).astype("Int64")
    return pd.DataFrame(out, index=ids.index)
