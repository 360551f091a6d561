"""Did closing a hotspot push crime round the corner? The weighted displacement quotient (issue 14).

Activities 1.7.3 and 1.7.5. For a treated or resolved hotspot, three areas (EPSG:32634):

- **target** (R): the hotspot's catchment in the "before" period, as incidents are counted for it
  (:func:`hotspots.incidents.counts.catchments`: its zone, its street + 50 m, or 150 m round a point);
- **buffer** (B): a ring :data:`settings.DISPLACEMENT_BUFFER_M` wide around the target, where
  displaced crime would go;
- **control** (C): the rest of the city unit, beyond a gap of :data:`settings.DISPLACEMENT_GAP_M`
  after the buffer, which shows what happened anyway.

With counts before (b) and after (a), Bowers & Johnson (2003) define the success measure
``SM = Ra/Ca − Rb/Cb`` (negative when crime fell in the target relative to the control), the
buffer displacement measure ``BDM = Ba/Ca − Bb/Cb`` and ``WDQ = BDM / SM``. Their reading: the
WDQ is only read when SM < 0; **WDQ < 0** means displacement (the buffer rose while the target
fell; below −1 more crime moved than was prevented), **WDQ > 0** a diffusion of benefits (the
buffer fell too), and a WDQ near 0 (|WDQ| < :data:`settings.DISPLACEMENT_NEUTRAL`, a choice of
this app) neither. The total net effect ``TNE = (Rb·Ca/Cb − Ra) + (Bb·Ca/Cb − Ba)`` counts the
incidents prevented (positive) or added (negative) in target and buffer together.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots import hotspot_detection as gi
from hotspots import settings, units
from hotspots.errors import NotFoundError, ValidationError
from hotspots.i18n import t
from hotspots.incidents import counts as incident_counts
from hotspots.labels import DISPLACEMENT_READING, label

#: Readings of a displacement check.
READINGS: tuple[str, ...] = ("displacement", "diffusion", "no_effect", "no_success")


@dataclass(frozen=True)
class Areas:
    """Target, buffer ring and control area, polygons in EPSG:32634."""

    target: BaseGeometry
    buffer: BaseGeometry
    control: BaseGeometry


def areas_around(target_metric: BaseGeometry, *, buffer_m: float | None = None, gap_m: float | None = None,
                 study: BaseGeometry | None = None) -> Areas:
    """Return the buffer ring and the control area around a target (all in EPSG:32634).

    ``study`` is the study area in EPSG:4326 (default: the city unit); the control is what is
    left of it beyond the buffer and the gap.
    """
    width = settings.DISPLACEMENT_BUFFER_M if buffer_m is None else buffer_m
    gap = settings.DISPLACEMENT_GAP_M if gap_m is None else gap_m
    if width <= 0 or gap < 0:
        raise ValidationError("err_disp_widths", buffer=width, gap=gap)
    area = units.city_unit() if study is None else study
    metric = gpd.GeoSeries([area], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    outer = target_metric.buffer(width)
    ring = outer.difference(target_metric)
    control = metric.difference(outer.buffer(gap))
    return Areas(target_metric, ring, control)


def hotspot_target(observations: gpd.GeoDataFrame, hotspot_id: str, period: str) -> BaseGeometry:
    """Return a hotspot's catchment (EPSG:32634) in the half-year holding ``period``.

    Raises
    ------
    NotFoundError
        If the hotspot is unknown or has never had a place.
    """
    mine = observations[observations["id"] == hotspot_id]
    if mine.empty:
        raise NotFoundError("err_hotspot_unknown", id=hotspot_id)
    kind, label = incident_counts.parse_period(period)
    if label is None:
        raise ValidationError("err_inc_period", value=period)
    half = str(incident_counts.half_of(pd.Series([label])).iloc[0])
    zones = incident_counts.catchments(mine, [half])
    if zones.empty:
        raise ValidationError("err_disp_no_place", id=hotspot_id)
    return zones.geometry.iloc[0]


def count_in(incidents: gpd.GeoDataFrame, area: BaseGeometry, period: str, offence: str | None = None) -> int:
    """Return the placed incidents of ``period`` (and offence class) inside a metric polygon."""
    chosen = gi.in_period(incidents, period)
    if offence is not None:
        chosen = chosen[chosen["offence"] == offence]
    chosen = chosen[chosen.geometry.notna() & ~chosen.geometry.is_empty]
    if chosen.empty:
        return 0
    metric = chosen.geometry.to_crs(settings.CRS_METRIC)
    return int(shapely.contains_xy(area, metric.x.to_numpy(), metric.y.to_numpy()).sum())


@dataclass(frozen=True)
class Check:
    """A displacement check: counts per area before and after, the measures and their reading."""

    before: str
    after: str
    target: tuple[int, int]
    buffer: tuple[int, int]
    control: tuple[int, int]
    success: float | None
    buffer_measure: float | None
    wdq: float | None
    net_effect: float | None
    reading: str

    def sentence(self, lang: str) -> str:
        """Return the reading in words for a council member."""
        params = {"before": self.before, "after": self.after, "rb": self.target[0], "ra": self.target[1],
                  "bb": self.buffer[0], "ba": self.buffer[1],
                  "wdq": "—" if self.wdq is None else f"{self.wdq:.2f}",
                  "net": "—" if self.net_effect is None else f"{self.net_effect:.1f}"}
        text = label(DISPLACEMENT_READING, self.reading, lang, **params)
        if self.reading == "displacement" and self.wdq is not None and self.wdq < -1:
            text += " " + t("disp_more_than_prevented", lang)
        return text


def weighted_displacement(r: tuple[int, int], b: tuple[int, int], c: tuple[int, int], *,
                          before: str = "", after: str = "") -> Check:
    """Return the Bowers & Johnson measures of counts (before, after) in target, buffer and control.

    Examples
    --------
    >>> check = weighted_displacement((20, 5), (10, 20), (100, 100))
    >>> round(check.wdq, 2), check.reading
    (-0.67, 'displacement')
    >>> weighted_displacement((20, 5), (10, 4), (100, 100)).reading
    'diffusion'
    """
    (rb, ra), (bb, ba), (cb, ca) = r, b, c
    if cb <= 0 or ca <= 0:
        return Check(before, after, r, b, c, None, None, None, None, "no_success")
    success = ra / ca - rb / cb
    measure = ba / ca - bb / cb
    net = (rb * ca / cb - ra) + (bb * ca / cb - ba)
    if success >= 0:
        return Check(before, after, r, b, c, success, measure, None, net, "no_success")
    wdq = measure / success
    reading = "no_effect" if abs(wdq) < settings.DISPLACEMENT_NEUTRAL else ("displacement" if wdq < 0 else "diffusion")
    return Check(before, after, r, b, c, success, measure, float(wdq), float(net), reading)


def check_area(incidents: gpd.GeoDataFrame, target_metric: BaseGeometry, *, before: str, after: str,
               offence: str | None = None, buffer_m: float | None = None) -> Check:
    """Return the displacement check of a target area (EPSG:32634) between two periods."""
    for period in (before, after):
        if incident_counts.parse_period(period)[1] is None:
            raise ValidationError("err_inc_period", value=period)
    zones = areas_around(target_metric, buffer_m=buffer_m)
    got = [(count_in(incidents, area, before, offence), count_in(incidents, area, after, offence))
           for area in (zones.target, zones.buffer, zones.control)]
    return weighted_displacement(got[0], got[1], got[2], before=before, after=after)


def check_hotspot(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, hotspot_id: str, *, before: str,
                  after: str, offence: str | None = None) -> Check:
    """Return the displacement check of a hotspot, its target being its catchment in ``before``."""
    return check_area(incidents, hotspot_target(observations, hotspot_id, before), before=before, after=after,
                      offence=offence)


def resolved_checks(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, lang: str, *,
                    upto: str | None = None) -> list[dict[str, object]]:
    """Return one row per hotspot recorded resolved (up to the review period ``upto``).

    Each row sets the half-year before against the half-year it was resolved in.
    """
    from hotspots import model

    rows: list[dict[str, object]] = []
    periods = model.review_periods()
    resolved = observations[(observations["status"] == "resolved") & observations.geometry.notna()]
    if upto is not None:
        resolved = resolved[resolved["period"] <= upto]
    for row in resolved.drop_duplicates("id").itertuples(index=False):
        after = str(row.period)
        i = periods.index(after) if after in periods else 0
        if i == 0:
            continue
        before = periods[i - 1]
        try:
            check = check_hotspot(incidents, observations, str(row.id), before=before, after=after)
        except ValidationError:
            continue
        rows.append({"id": row.id, "before": before, "after": after, "target": f"{check.target[0]} → {check.target[1]}",
                     "buffer": f"{check.buffer[0]} → {check.buffer[1]}",
                     "wdq": None if check.wdq is None else round(check.wdq, 2), "reading": check.sentence(lang)})
    return rows

