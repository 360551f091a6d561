"""Example incidents (training data): a seeded, realistic three-year file for Elbasan.

Four clusters are planted with known rates per half-year (:data:`PLANTED`), on top of a
background spread over the city unit: one **steady** (the train station), one **emerging**
(east of the centre, where no hotspot is designated), one **fading** (the castle, whose
example hotspot is resolved in 2024-H1) and one **displaced** 300 m to the east after
2023-H2. About 10 % of the background rows carry an address instead of coordinates (placed
by the gazetteer) and about 1 % an address nobody can place. Everything is marked example.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.base import settings
from hotspots.incidents import importing
from hotspots.plan import geocode, units
from hotspots.plan.store import Store


#: The example file shipped in ``geodata/`` (rebuilt by ``scripts/make_example_incidents.py``).
EXAMPLE_FILE: Path = settings.EXAMPLE_INCIDENTS_FILE
#: Half-years the example covers (those of the example hotspot series).
HALVES: tuple[str, ...] = ("2022-H1", "2022-H2", "2023-H1", "2023-H2", "2024-H1", "2024-H2")
#: Spread of a planted cluster around its centre, in metres (a normal distribution per axis).
SIGMA_M: float = 30.0
#: Background incidents per half-year, over the city unit.
BACKGROUND_PER_HALF: int = 120
#: The seed of the shipped file.
SEED: int = 13


@dataclass(frozen=True)
class Cluster:
    """A planted cluster: its offence, and per half-year its centre (lat, lon) and count."""

    name: str
    offence: str
    centres: tuple[tuple[float, float], ...]
    counts: tuple[int, ...]


_DISPLACED_A = (41.1080, 20.0900)
_DISPLACED_B = (41.1080, 20.0900 + 300.0 / (111_320.0 * float(np.cos(np.radians(41.108)))))

#: The planted clusters: the known answers of the tests.
PLANTED: dict[str, Cluster] = {
    "steady": Cluster("steady", "drugs", ((41.1050, 20.0747),) * 6, (10, 10, 10, 10, 10, 10)),
    "emerging": Cluster("emerging", "theft", ((41.1185, 20.0950),) * 6, (1, 3, 6, 10, 15, 22)),
    "fading": Cluster("fading", "drugs", ((41.1130, 20.0800),) * 6, (24, 18, 12, 7, 3, 1)),
    "displaced": Cluster("displaced", "violence", (_DISPLACED_A,) * 4 + (_DISPLACED_B,) * 2, (12, 12, 12, 12, 12, 12)),
}
#: Offence mix of the background.
BACKGROUND_MIX: dict[str, float] = {"theft": 0.4, "violence": 0.2, "drugs": 0.15, "domestic_violence": 0.15,
                                    "street_children": 0.05, "other": 0.05}
#: Albanian names the file is written with (as police exports in Elbasan would be).
OFFENCE_WORDS: dict[str, str] = {"drugs": "droge", "theft": "vjedhje", "violence": "dhune",
                                 "domestic_violence": "dhune_ne_familje", "street_children": "femije_rruge", "other": "tjeter"}


def _dates(rng: np.random.Generator, half: str, n: int) -> np.ndarray:
    year, h = int(half[:4]), int(half[-1])
    start = np.datetime64(f"{year}-{'01' if h == 1 else '07'}-01")
    end = np.datetime64(f"{year}-07-01") if h == 1 else np.datetime64(f"{year + 1}-01-01")
    return start + rng.integers(0, int((end - start).astype(int)), n).astype("timedelta64[D]")


def _around(rng: np.random.Generator, lat: float, lon: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    centre = gpd.GeoSeries([shapely.Point(lon, lat)], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC)
    x, y = float(centre.x.iloc[0]), float(centre.y.iloc[0])
    pts = gpd.GeoSeries(gpd.points_from_xy(x + rng.normal(0, SIGMA_M, n), y + rng.normal(0, SIGMA_M, n)),
                        crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE)
    return pts.y.to_numpy(), pts.x.to_numpy()


def _background(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    city = units.city_unit()
    minx, miny, maxx, maxy = city.bounds
    lon = rng.uniform(minx, maxx, n * 3)
    lat = rng.uniform(miny, maxy, n * 3)
    keep = shapely.contains_xy(city, lon, lat)
    return lat[keep][:n], lon[keep][:n]


def _address_pool() -> list[str]:
    """Located gazetteer places in the city, away (> 300 m) from every planted centre."""
    centres = [c for cl in PLANTED.values() for c in set(cl.centres)]
    pool = []
    for p in geocode.load_places():
        if p.lat is None or p.lon is None or not units.city_unit().contains(shapely.Point(p.lon, p.lat)):
            continue
        near = min(np.hypot((p.lat - a) * 111_320, (p.lon - b) * 84_000) for a, b in centres)
        if near > 300:
            pool.append(p.name)
    return sorted(pool)


def generate(*, seed: int = SEED, halves: tuple[str, ...] = HALVES, background: int = BACKGROUND_PER_HALF) -> pd.DataFrame:
    """Return the example incidents with Albanian column names, as a police export would have them.

    Columns: ``data`` (DD.MM.YYYY, some with a time), ``vepra``, ``gjeresia``, ``gjatesia``,
    ``adresa``, ``nr_ceshtjes`` (``SHEMBULL-00001`` …), ``grupi`` (the planted cluster or
    ``background``: the known answer of the tests; not written to the file, whose columns
    must all pass the import's allow-list).

    Examples
    --------
    >>> frame = generate(background=10)
    >>> int((frame["grupi"] == "fading").sum()) == sum(PLANTED["fading"].counts)
    True
    """
    rng = np.random.default_rng(seed)
    pool = _address_pool()
    parts = []
    for i, half in enumerate(halves):
        for cl in PLANTED.values():
            n = cl.counts[min(i, len(cl.counts) - 1)]
            lat, lon = _around(rng, *cl.centres[min(i, len(cl.centres) - 1)], n)
            parts.append(pd.DataFrame({"day": _dates(rng, half, n), "offence": cl.offence, "lat": lat, "lon": lon,
                                       "address": "", "grupi": cl.name}))
        lat, lon = _background(rng, background)
        offences = rng.choice(list(BACKGROUND_MIX), len(lat), p=list(BACKGROUND_MIX.values()))
        frame = pd.DataFrame({"day": _dates(rng, half, len(lat)), "offence": offences, "lat": lat, "lon": lon,
                              "address": "", "grupi": "background"})
        draw = rng.random(len(frame))
        by_address = draw < 0.10
        frame.loc[by_address, "address"] = rng.choice(pool, int(by_address.sum()))
        numbers = pd.Series(rng.integers(1, 99, len(frame))).astype(str)
        frame.loc[draw < 0.01, "address"] = "Rruga pa emër, pranë pallatit " + numbers
        frame.loc[by_address, ["lat", "lon"]] = np.nan
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True).sort_values("day", kind="stable").reset_index(drop=True)
    clock = pd.Series(rng.integers(0, 24 * 60, len(out)))
    timed = rng.random(len(out)) < 0.7
    day = pd.to_datetime(pd.Series(out["day"])).dt.strftime("%d.%m.%Y")
    hhmm = (clock // 60).map("{:02d}".format) + ":" + (clock % 60).map("{:02d}".format)
    return pd.DataFrame({
        "data": day.where(~timed, day + " " + hhmm), "vepra": out["offence"].map(OFFENCE_WORDS),
        "gjeresia": out["lat"].round(6).map(lambda v: "" if pd.isna(v) else f"{v:.6f}"),
        "gjatesia": out["lon"].round(6).map(lambda v: "" if pd.isna(v) else f"{v:.6f}"),
        "adresa": out["address"], "nr_ceshtjes": [f"SHEMBULL-{i:05d}" for i in range(1, len(out) + 1)],
        "grupi": out["grupi"],
    })


#: Columns of :func:`generate` kept out of the file (the known answers).
ANSWER_COLUMNS: tuple[str, ...] = ("grupi",)


def write_example(path: Path = EXAMPLE_FILE, *, seed: int = SEED) -> Path:
    """Write the example incident file (semicolon-separated UTF-8 CSV, Albanian columns, no answers)."""
    generate(seed=seed).drop(columns=list(ANSWER_COLUMNS)).to_csv(path, sep=";", index=False, encoding="utf-8")
    return path


def load(store: Store, *, author: str, path: Path = EXAMPLE_FILE) -> int:
    """Import the example file as dataset ``example`` through the ordinary import; return how many were added."""
    return importing.import_file(store, path, author=author, dataset="example").added
