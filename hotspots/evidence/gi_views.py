"""The hot spots found by Gi* as the review page and the pack show them: tables in the reader's language.

Every function here is pure (incidents, hotspots and units in, DataFrames out); the page only
draws them. No incident count appears in these tables except the displacement counts of a
hotspot, which are suppressed below 5 for roles that do not see points.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from hotspots.base import settings
from hotspots.base.i18n import t
from hotspots.base.labels import EHSA_CLASS, GI_COLUMN, GI_STATUS, hotspot_names, label
from hotspots.evidence import displacement, emerging, found_hotspots
from hotspots.evidence import hotspot_detection as gi
from hotspots.incidents import counts as incident_counts
from hotspots.incidents import disclosure, periods
from hotspots.incidents.disclosure import suppressed


@dataclass(frozen=True)
class Evidence:
    """The hot spots found in the incidents of one review period: Gi* cells, emerging classes, designated against found."""

    detection: gi.Detection
    designated: pd.DataFrame
    proposals: gpd.GeoDataFrame
    trend: emerging.Emerging


def build(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, period: str, *,
          dismissed: set[str] | None = None, step: str | None = None, protect: bool = False) -> Evidence:
    """Return Gi* of ``period``, the designated hotspots' status, open proposals and the emerging analysis.

    The emerging analysis runs on the incidents up to the end of ``period``. With ``protect``
    (council, the public) both run on counts where 1-4 count as 1
    (:func:`hotspots.incidents.disclosure.floored`): their z, p and labels then tell nothing
    about a count below 5.
    """
    transform = disclosure.floored if protect else None
    det = gi.detect(incidents, period=period, transform=transform)
    end = _period_end(period)
    upto = incidents[incidents["occurred_on"] <= end] if len(incidents) else incidents
    return Evidence(det, found_hotspots.designated_status(det, observations),
                    found_hotspots.proposals(det, observations, dismissed=dismissed),
                    emerging.emerging(upto, step=step, transform=transform))


def _period_end(period: str) -> str:
    kind, label = periods.parse_period(period)
    year = int((label or period)[:4])
    if kind == "half":
        return f"{year}-06-30" if (label or "").endswith("H1") else f"{year}-12-31"
    if kind == "quarter":
        q = int((label or "")[-1])
        return f"{year}-{3 * q:02d}-31"  # ISO strings compare: the 31st closes every month of a quarter's end
    return f"{label}-31"


def _half_of(period: str | None) -> str | None:
    if period is None:
        return None
    return str(periods.half_of(pd.Series([periods.parse_period(period)[1] or period])).iloc[0])


def _names(observations: gpd.GeoDataFrame, lang: str) -> pd.Series:
    latest = observations.drop_duplicates("id", keep="last").set_index("id")
    return hotspot_names(latest, lang)


def designated_table(ev: Evidence, observations: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """Return ``id``, name, the status in words and the strongest hot cell met, with headers in ``lang``."""
    table = ev.designated
    names = _names(observations, lang)
    return pd.DataFrame({
        t("gi_col_id", lang): table["id"], t("gi_col_name", lang): table["id"].map(names),
        t("gi_col_status", lang): [label(GI_STATUS, s, lang) for s in table["status"]],
        t("gi_col_confidence", lang): [f"{c} %" if c else "—" for c in table["confidence"]],
    })


def proposal_table(ev: Evidence, lang: str) -> pd.DataFrame:
    """Return the open proposals: where, how many cells, confidence, the source text staff would record."""
    p = ev.proposals
    return pd.DataFrame({t("gi_col_where", lang): [f"{lat:.5f}, {lon:.5f}" for lat, lon in zip(p["lat"], p["lon"], strict=True)],
                         t("gi_col_cells", lang): p["cells"], t("gi_col_confidence", lang): [f"{c} %" for c in p["confidence"]],
                         t("gi_col_source", lang): p["source"]})


def emerging_by_unit(ev: Evidence, units_layer: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """Return each unit's emerging label (the first of Esri's order among its cells) and its labelled cells."""
    table = emerging.summary_for(ev.trend, units_layer[["unit", "geometry"]], "unit")
    return _labelled(table, "unit", lang)


def emerging_by_hotspot(ev: Evidence, observations: gpd.GeoDataFrame, period: str, lang: str) -> pd.DataFrame:
    """Return each located hotspot's emerging label (over the cells its catchment meets)."""
    half = str(periods.half_of(pd.Series([periods.parse_period(period)[1] or period])).iloc[0])
    zones = incident_counts.catchments(observations, [half], crs=settings.CRS_STORE)
    table = emerging.summary_for(ev.trend, zones[["id", "geometry"]], "id")
    out = _labelled(table, "id", lang)
    out.insert(1, t("gi_col_name", lang), table["id"].map(_names(observations, lang)).to_numpy())
    return out


def _labelled(table: pd.DataFrame, key: str, lang: str) -> pd.DataFrame:
    def words(cells: str) -> str:
        parts = [p.rsplit(" ", 1) for p in cells.split(", ") if p]
        return ", ".join(f"{label(EHSA_CLASS, lab, lang)} {n}" for lab, n in parts)

    return pd.DataFrame({label(GI_COLUMN, key, lang): table[key],
                         t("gi_col_label", lang): [label(EHSA_CLASS, lab, lang) for lab in table["label"]],
                         t("gi_col_cells_by_label", lang): [words(c) for c in table["cells"]]})


def displacement_table(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, lang: str, *,
                       sees_points: bool, upto: str | None = None) -> pd.DataFrame:
    """Return the displacement check of every hotspot resolved up to ``upto`` (counts "<5" for roles without points)."""
    rows = displacement.resolved_checks(incidents, observations, lang, upto=upto)
    table = pd.DataFrame(rows, columns=["id", "before", "after", "target", "buffer", "control", "wdq", "p", "reading"])
    if not sees_points and len(table):
        table = withhold_small_checks(table, lang)
    return table.rename(columns={c: label(GI_COLUMN, c, lang) for c in table.columns})


def _small(counts: str) -> bool:
    below = settings.INCIDENT_SUPPRESS_BELOW
    return any(1 <= int(v) < below for v in counts.split(" → "))


def withhold_small_checks(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return displacement rows as protected roles see them: counts "<5"; quotient, p and reading withheld where a count is 1-4.

    The quotient and the sentence are computed from the six counts; where one of them is
    below 5 they would give it back, so they are replaced by a note.
    """
    out = table.copy()
    risky = [any(_small(str(r[c])) for c in ("target", "buffer", "control")) for _, r in out.iterrows()]
    for col in ("target", "buffer", "control"):
        out[col] = [" → ".join(suppressed(pd.Series([int(v) for v in s.split(" → ")])).tolist()) for s in out[col]]
    mask = pd.Series(risky, index=out.index)
    out["wdq"] = out["wdq"].astype(object).where(~mask, None)
    out["p"] = out["p"].astype(object).where(~mask, None)
    out["reading"] = out["reading"].where(~mask, t("disc_check_withheld", lang, n=settings.INCIDENT_SUPPRESS_BELOW))
    return out


def pack_lines(ev: Evidence, observations: gpd.GeoDataFrame, incidents: gpd.GeoDataFrame, lang: str, *,
               max_rows: int | None = None, protect: bool = False) -> list[str]:
    """Return the short pack section: one line per designated status, proposal count, and displacement readings.

    With ``max_rows``, each list (designated hotspots, displacement readings) keeps its first
    ``max_rows`` lines and a line saying how many more there are (the page shows them all).
    With ``protect`` a reading resting on a count below 5 is withheld (:func:`withhold_small_checks`).
    """
    status = ev.designated["status"].value_counts()
    lines = [t("gi_pack_title", lang, period=ev.detection.period or ""),
             t("gi_pack_status", lang, confirmed=int(status.get("confirmed", 0)),
               not_supported=int(status.get("not_supported", 0)), proposals=len(ev.proposals)),
             t("gi_explain_cells", lang)]
    names = _names(observations, lang)
    designated = ev.designated if max_rows is None else ev.designated.head(max_rows)
    for hid, st in zip(designated["id"], designated["status"], strict=True):
        lines.append(f"{hid} · {names.get(hid, '')}: {label(GI_STATUS, st, lang)}")
    lines += _more(len(ev.designated) - len(designated), lang)
    labels = pd.Series(ev.trend.label)
    counted = labels[labels != "no_pattern"].value_counts()
    lines.append(t("ehsa_pack_line", lang, labels=", ".join(f"{label(EHSA_CLASS, k, lang)} {int(v)}" for k, v in counted.items())
                   or t("ehsa_no_pattern", lang)))
    checks = displacement.resolved_checks(incidents, observations, lang, upto=_half_of(ev.detection.period))
    if protect and checks:
        checks = [{str(k): v for k, v in r.items()}
                  for r in withhold_small_checks(pd.DataFrame(checks), lang).to_dict("records")]
    shown = checks if max_rows is None else checks[:max_rows]
    lines += [f"{row['id']}: {row['reading']}" for row in shown]
    return lines + _more(len(checks) - len(shown), lang)


def _more(n: int, lang: str) -> list[str]:
    """Return the line "… and n more rows" of a capped list (none when nothing was left out)."""
    return [t("pack_more_rows", lang, n=n)] if n > 0 else []
