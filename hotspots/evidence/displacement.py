"""Did closing a hotspot push crime round the corner? The weighted displacement quotient.

Activities 1.7.3 and 1.7.5. For a treated or resolved hotspot, three areas (EPSG:32634):

- **target** (R): the hotspot's catchment in the "before" period, as incidents are counted for it
  (:func:`hotspots.incidents.counts.catchments`: its zone, its street + 50 m, or 150 m round a point);
- **buffer** (B): a ring :data:`settings.DISPLACEMENT_BUFFER_M` wide around the target, where
  displaced crime would go;
- **control** (C): the rest of the city unit, beyond a gap of :data:`settings.DISPLACEMENT_GAP_M`
  after the buffer, which shows what happened anyway.

With counts before (b) and after (a), Bowers & Johnson (2003) define the success measure
``SM = Ra/Ca − Rb/Cb`` (negative when crime fell in the target **relative to the control**), the
buffer displacement measure ``BDM = Ba/Ca − Bb/Cb`` and ``WDQ = BDM / SM``. Every measure is
relative to the control area, never a raw change: a zone that stayed at 10 while the city went
from 100 to 200 did better than the city (20 expected), though its count did not fall. The
words therefore say "relative to the rest of the city" and give the raw counts and the count
expected had the area followed the control (``Rb·Ca/Cb``) beside each measure.

Bowers & Johnson read the WDQ only where the target's success is established, and warn that
small counts make the ratios meaningless. Here:

1. **too few incidents to read** (``too_few``) when the zone has fewer than
   :data:`settings.DISPLACEMENT_MIN_COUNT` incidents before and after together, or the control
   has none in either period;
2. the zone's change relative to the control is tested exactly: given the zone's total
   ``Rb + Ra``, under "the zone changed as the control did" ``Ra`` is binomial with
   ``π = Ca / (Ca + Cb)`` (the exact conditional test of two Poisson rates, the control's
   change taken as known). ``no_success`` unless the zone fell relative to the control with a
   one-sided p below :data:`settings.DISPLACEMENT_ALPHA`;
3. the ring is tested the same way (two-sided): **displacement** when it rose relative to the
   control (WDQ < 0, p below the level), **diffusion** of benefits when it fell too (WDQ > 0),
   **no_effect** when its change relative to the control is within chance. Below −1 the WDQ
   says more crime moved than was prevented.

The total net effect ``TNE = (Rb·Ca/Cb − Ra) + (Bb·Ca/Cb − Ba)`` counts the incidents prevented
(positive) or added (negative) in target and buffer together, relative to the control.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import NotFoundError, ValidationError
from hotspots.base.i18n import t
from hotspots.base.labels import DISPLACEMENT_READING, label
from hotspots.evidence import hotspot_detection as gi
from hotspots.incidents import counts as incident_counts
from hotspots.incidents import periods
from hotspots.plan import model, units


#: Readings of a displacement check.
READINGS: tuple[str, ...] = ("displacement", "diffusion", "no_effect", "no_success", "too_few")


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
    kind, label = periods.parse_period(period)
    if label is None:
        raise ValidationError("err_inc_period", value=period)
    half = str(periods.half_of(pd.Series([label])).iloc[0])
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
    """A displacement check: counts per area before and after, the measures, their tests and reading.

    ``p_target`` is the one-sided exact p of the zone's fall relative to the control,
    ``p_buffer`` the two-sided exact p of the ring's change relative to it (None when not tested).
    """

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
    p_target: float | None = None
    p_buffer: float | None = None

    def expected(self, area: tuple[int, int]) -> float | None:
        """Return the "after" count an area would have had had it changed as the control did."""
        cb, ca = self.control
        return None if cb <= 0 else area[0] * ca / cb

    def sentence(self, lang: str) -> str:
        """Return the reading in words for a council member: relative to the control, raw counts beside."""
        params = {"before": self.before, "after": self.after, "rb": self.target[0], "ra": self.target[1],
                  "bb": self.buffer[0], "ba": self.buffer[1], "cb": self.control[0], "ca": self.control[1],
                  "re": _number(self.expected(self.target)), "be": _number(self.expected(self.buffer)),
                  "p": _p_text(self.p_target), "pb": _p_text(self.p_buffer), "min": settings.DISPLACEMENT_MIN_COUNT,
                  "wdq": "—" if self.wdq is None else f"{round(self.wdq, 2) + 0.0:.2f}",
                  "net": "—" if self.net_effect is None else f"{self.net_effect:.1f}"}
        text = label(DISPLACEMENT_READING, self.reading, lang, **params)
        if self.reading == "displacement" and self.wdq is not None and self.wdq < -1:
            text += " " + t("disp_more_than_prevented", lang)
        return text


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".removesuffix(".0")


def _p_text(p: float | None) -> str:
    if p is None:
        return "= —"
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def relative_change_p(area: tuple[int, int], control: tuple[int, int], *,
                      alternative: Literal["less", "greater", "two-sided"] = "less") -> float:
    """Return the exact p of an area's change (before, after) against the control's change.

    Conditional on the area's total, its "after" count is binomial with the control's share
    after, ``Ca / (Ca + Cb)``, when it changed as the control did. ``alternative``: ``less`` (it fell
    relative to the control), ``greater`` or ``two-sided`` (scipy's ``binomtest``).

    Examples
    --------
    >>> round(relative_change_p((10, 2), (100, 100)), 4)  # P(X <= 2), X ~ Bin(12, 1/2)
    0.0193
    """
    from scipy import stats

    (b, a), (cb, ca) = area, control
    if b + a == 0 or cb + ca == 0:
        return 1.0
    return float(stats.binomtest(int(a), int(a + b), ca / (ca + cb), alternative=alternative).pvalue)


def weighted_displacement(r: tuple[int, int], b: tuple[int, int], c: tuple[int, int], *,
                          before: str = "", after: str = "") -> Check:
    """Return the Bowers & Johnson measures of counts (before, after) in target, buffer and control.

    Examples
    --------
    >>> check = weighted_displacement((30, 10), (10, 30), (200, 200))
    >>> round(check.wdq, 2), check.reading
    (-1.0, 'displacement')
    >>> weighted_displacement((30, 10), (30, 10), (200, 200)).reading
    'diffusion'
    >>> weighted_displacement((3, 1), (1, 3), (200, 200)).reading
    'too_few'
    """
    (rb, ra), (bb, ba), (cb, ca) = r, b, c
    if cb <= 0 or ca <= 0 or rb + ra < settings.DISPLACEMENT_MIN_COUNT:
        return Check(before, after, r, b, c, None, None, None, None, "too_few")
    success = ra / ca - rb / cb
    measure = ba / ca - bb / cb
    net = (rb * ca / cb - ra) + (bb * ca / cb - ba)
    p_target = relative_change_p(r, c, alternative="less")
    if success >= 0 or p_target >= settings.DISPLACEMENT_ALPHA:
        return Check(before, after, r, b, c, success, measure, None, net, "no_success", p_target)
    wdq = measure / success
    p_buffer = relative_change_p(b, c, alternative="two-sided")
    if p_buffer >= settings.DISPLACEMENT_ALPHA or measure == 0:
        reading = "no_effect"
    else:
        reading = "displacement" if wdq < 0 else "diffusion"
    return Check(before, after, r, b, c, success, measure, float(wdq), float(net), reading, p_target, p_buffer)


def check_area(incidents: gpd.GeoDataFrame, target_metric: BaseGeometry, *, before: str, after: str,
               offence: str | None = None, buffer_m: float | None = None) -> Check:
    """Return the displacement check of a target area (EPSG:32634) between two periods."""
    for period in (before, after):
        if periods.parse_period(period)[1] is None:
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
                     "control": f"{check.control[0]} → {check.control[1]}",
                     "wdq": None if check.wdq is None else round(check.wdq, 2),
                     "p": None if check.p_target is None else round(check.p_target, 4), "reading": check.sentence(lang)})
    return rows

