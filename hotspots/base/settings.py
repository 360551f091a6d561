"""Typed, documented constants: paths, coordinate systems, periods, map defaults.

Values that differ per installation come from the environment, read here and only here
(:func:`env`): every ``HOTSPOTS_*`` variable has one function below that validates it and
raises :class:`~hotspots.base.errors.SettingError` naming the variable, the value and what it
accepts — never a silent fallback. :func:`problems` checks them all at once (the launcher
and the command line refuse to start on a bad value).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path

from hotspots.base.errors import SettingError
from hotspots.base.municipality import Municipality
from hotspots.base.municipality import load as load_municipality


#: Root of the repository (the folder holding ``app.py``).
ROOT: Path = Path(__file__).resolve().parents[2]
#: Data-only folder shipped with the app.
GEODATA_DIR: Path = ROOT / "geodata"
#: Git-ignored folder for the embedded database and local caches (see :func:`runtime_dir`).
DATA_DIR: Path = ROOT / "data"
#: Folder Streamlit serves at ``/app/static`` (Leaflet and plugins are installed there).
STATIC_DIR: Path = ROOT / "static"

#: The municipality this process serves: the folder ``HOTSPOTS_MUNICIPALITY`` names, else
#: ``geodata/`` (Elbasan). Its manifest gives the files below, the metric CRS and the units.
MUNICIPALITY: Municipality = load_municipality(Path(os.environ.get("HOTSPOTS_MUNICIPALITY", "").strip() or GEODATA_DIR))

MUNICIPALITY_FILE: Path = MUNICIPALITY.file("boundary")
CITY_UNIT_FILE: Path = MUNICIPALITY.file("city")
ADMIN_UNITS_FILE: Path = MUNICIPALITY.file("admin_units")
#: The shipped (approximate) unit layer; a replaced layer lives in :func:`runtime_dir` instead.
UNITS_FILE: Path = MUNICIPALITY.file("units")
UNIT_ANCHORS_FILE: Path = MUNICIPALITY.file("unit_anchors")
PLACES_FILE: Path = MUNICIPALITY.file("places")
LANDMARKS_FILE: Path = MUNICIPALITY.file("landmarks")
PLAN_FILE: Path = MUNICIPALITY.file("plan")
BASELINE_FILE: Path = MUNICIPALITY.file("baseline")
EXAMPLE_SERIES_FILE: Path = MUNICIPALITY.file("example_series")
#: Offence classes and their plan problems, and harm weights: the folder's, else the shipped ones.
INCIDENTS_CONFIG_FILE: Path = MUNICIPALITY.files.get("incidents", GEODATA_DIR / "incidents.yaml")
HARM_WEIGHTS_FILE: Path = MUNICIPALITY.files.get("harm_weights", GEODATA_DIR / "harm_weights.yaml")
EXAMPLE_INCIDENTS_FILE: Path = MUNICIPALITY.file("example_incidents")
#: The registers' starting rows (OSM cameras and schools), by entity; a folder may have none.
SEED_FILES: dict[str, Path] = {"camera": MUNICIPALITY.file("cameras"), "school": MUNICIPALITY.file("schools")}

#: Storage and display CRS: WGS84 longitude/latitude.
CRS_STORE: str = "EPSG:4326"
#: Metric CRS of the municipality (Elbasan: UTM zone 34N): distances, areas, buffers.
CRS_METRIC: str = MUNICIPALITY.crs

#: Numbers of the municipality's units (Elbasan: the units, lagje, 1-6 the plan names).
UNIT_NUMBERS: tuple[int, ...] = MUNICIPALITY.unit_numbers
#: Tolerance, in square metres, for overlaps between unit polygons.
UNIT_OVERLAP_TOLERANCE_M2: float = 50.0
#: Distance, in metres, a unit may stick out of the municipality.
UNIT_OUTSIDE_TOLERANCE_M: float = 100.0

#: Number of half-year review periods in the plan (3 years, reviewed every 6 months). The
#: list of review periods does not stop there: it runs on to today's half-year.
PERIOD_COUNT: int = 6
#: Uncertainty, in metres, of a location of each grade: a new place of the same hotspot
#: within this distance of its old shape is "located more precisely", not "moved".
GRADE_UNCERTAINTY_M: dict[str, float] = {"exact": 0.0, "landmark": 150.0, "approximate": 300.0}
#: Largest accepted name, in characters.
NAME_MAX_LEN: int = 300
#: Largest accepted note or description, in characters.
NOTE_MAX_LEN: int = 5000
#: Largest import file accepted, in bytes.
IMPORT_MAX_BYTES: int = 5 * 1024 * 1024
#: Most vertices one hotspot's place may have: a zone drawn by hand has tens, a street traced
#: from OpenStreetMap a few hundred; 200,000 would only slow every map that draws it.
GEOMETRY_MAX_VERTICES: int = 10_000

#: Seconds a write waits for another writer (an import) before it says the store is busy.
DB_BUSY_SECONDS: float = 60.0

#: Minutes of inactivity after which a login session expires.
SESSION_MINUTES: int = 60
#: Hours after which a login ends even if it was used all the time.
SESSION_MAX_HOURS: int = 12
#: Failed logins in a row for one account after which it is locked for a while.
LOGIN_MAX_FAILURES: int = 5
#: Failed logins in a row from one client (any account) after which it is locked.
LOGIN_MAX_FAILURES_CLIENT: int = 20
#: First lock, in seconds; it doubles with each further failure.
LOGIN_FIRST_LOCK_SECONDS: int = 30
#: Longest lock, in seconds.
LOGIN_MAX_LOCK_SECONDS: int = 15 * 60
#: Seconds without a failure after which a key's count starts again.
LOGIN_RESET_SECONDS: int = 60 * 60

#: OpenStreetMap attribution, shown wherever OSM-derived shapes are drawn.
OSM_ATTRIBUTION: str = "© OpenStreetMap contributors, ODbL"

#: Versions of the front-end assets served by the app (from the npm registry).


def env(name: str, default: str = "") -> str:
    """Return the environment variable ``name`` stripped, or ``default``: the app's one reader of it."""
    return os.environ.get(name, default).strip()


def first_period() -> str:
    """Return the first review period of the plan: ``HOTSPOTS_FIRST_PERIOD``, else the half-year its plan was adopted in.

    Raises
    ------
    SettingError
        If the value is not of the form ``YYYY-H1`` / ``YYYY-H2``.
    """
    value = env("HOTSPOTS_FIRST_PERIOD") or MUNICIPALITY.adopted_period()
    if not re.fullmatch(r"(19|20)\d\d-H[12]", value):
        raise SettingError("err_setting", name="HOTSPOTS_FIRST_PERIOD", value=value[:40], allowed="YYYY-H1, YYYY-H2")
    return value


def today() -> date:
    """Return today's date, or ``HOTSPOTS_TODAY`` (ISO ``YYYY-MM-DD``) when set (demos, tests).

    Raises
    ------
    SettingError
        If ``HOTSPOTS_TODAY`` is set but is not an ISO date.
    """
    value = env("HOTSPOTS_TODAY")
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SettingError("err_setting", name="HOTSPOTS_TODAY", value=value[:40], allowed="YYYY-MM-DD") from None


def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Return the addresses whose ``X-Forwarded-For`` names the client: ``HOTSPOTS_TRUSTED_PROXIES``.

    A comma-separated list of IP addresses or networks (``10.0.0.5, 192.168.1.0/24``); the
    default is the loopback addresses, where the shipped ``deploy/nginx.conf`` runs beside
    the app processes. ``none`` trusts no proxy: the client is then always the peer.

    Raises
    ------
    SettingError
        If an entry is not an address or network.
    """
    value = env("HOTSPOTS_TRUSTED_PROXIES") or "127.0.0.1, ::1"
    if value.lower() == "none":
        return ()
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip())
    except ValueError:
        raise SettingError("err_setting", name="HOTSPOTS_TRUSTED_PROXIES", value=value[:60],
                           allowed="none, or IP addresses / networks separated by commas") from None


def database_url(path: str | os.PathLike[str] | None = None) -> str:
    """Return the SQLAlchemy URL of the store.

    Parameters
    ----------
    path
        A file path or a full SQLAlchemy URL. Without it, ``HOTSPOTS_DB`` is used, and
        without that ``data/hotspots.sqlite`` under the repository.

    Examples
    --------
    >>> database_url("/tmp/x.sqlite")
    'sqlite:////tmp/x.sqlite'
    """
    value = str(path) if path is not None else env("HOTSPOTS_DB")
    if not value:
        value = str(DATA_DIR / "hotspots.sqlite")
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).resolve())


def data_dir(url: str | None = None) -> Path:
    """Return the folder of local state.

    ``HOTSPOTS_DATA_DIR`` when set, else beside the SQLite file of the store, else ``data/``.

    The session-signing secret is generated there (never in the repository); app processes
    that share a database share it through this folder (or ``HOTSPOTS_SECRET_KEY``).
    """
    if env("HOTSPOTS_DATA_DIR"):
        return runtime_dir()
    url = database_url(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///")).parent
    return DATA_DIR


def runtime_dir() -> Path:
    """Return the installation's folder of runtime data: ``HOTSPOTS_DATA_DIR`` or ``data/``.

    Data written while the app runs (an imported unit layer) goes here, never over the
    tracked files of ``geodata/``. The folder is created by whoever writes into it.

    Raises
    ------
    SettingError
        If ``HOTSPOTS_DATA_DIR`` is set but is not an absolute path, or names a file.
    """
    value = env("HOTSPOTS_DATA_DIR")
    if not value:
        return DATA_DIR
    path = Path(value)
    if not path.is_absolute() or path.is_file():
        raise SettingError("err_setting", name="HOTSPOTS_DATA_DIR", value=value[:80], allowed="the absolute path of a folder")
    return path


def replaced_units_file() -> Path:
    """Return where an imported or rebuilt unit layer is written (in :func:`runtime_dir`)."""
    return runtime_dir() / "units.geojson"


def units_file() -> Path:
    """Return the unit layer in use: the replaced one when present, else the shipped :data:`UNITS_FILE`.

    Examples
    --------
    >>> units_file().name
    'units.geojson'
    """
    replaced = replaced_units_file()
    return replaced if replaced.is_file() else UNITS_FILE


#: Catalogs (``<code>/LC_MESSAGES/messages.po``) shipped with the app.
LOCALE_DIR: Path = ROOT / "hotspots" / "locale"


def locale_dir() -> Path:
    """Return the folder of the translation catalogs, ``HOTSPOTS_LOCALE_DIR`` or :data:`LOCALE_DIR`.

    A folder of one's own lets an installation add a language without touching the app's files.

    Raises
    ------
    SettingError
        If the folder holds no Albanian catalog (``sq/LC_MESSAGES/messages.po``).
    """
    value = env("HOTSPOTS_LOCALE_DIR")
    if not _has_catalogs(_locale_candidate()):
        raise SettingError("err_setting", name="HOTSPOTS_LOCALE_DIR", value=value[:120],
                           allowed="sq/LC_MESSAGES/messages.po")
    return _locale_candidate()


def _locale_candidate() -> Path:
    value = env("HOTSPOTS_LOCALE_DIR")
    return Path(value).expanduser() if value else LOCALE_DIR


def _has_catalogs(folder: Path) -> bool:
    return (folder / "sq" / "LC_MESSAGES" / "messages.po").is_file()


def catalogs_dir() -> Path:
    """Return the folder the texts are read from: :func:`locale_dir`, or the shipped one while that is unusable.

    Never raises: the message saying ``HOTSPOTS_LOCALE_DIR`` is wrong needs catalogs to be written in
    (:func:`problems` reports the setting, and the launcher refuses to start on it).
    """
    return _usable_catalogs(env("HOTSPOTS_LOCALE_DIR"))


@lru_cache(maxsize=8)
def _usable_catalogs(value: str) -> Path:
    """Return the folder ``HOTSPOTS_LOCALE_DIR=value`` names, or the shipped one (once per value: every text asks)."""
    folder = Path(value).expanduser() if value else LOCALE_DIR
    return folder if _has_catalogs(folder) else LOCALE_DIR


#: The language the app's texts are written in (the message ids' catalog, and every fallback).
SOURCE_LANGUAGE: str = "sq"


def catalog_languages(directory: Path | None = None) -> tuple[str, ...]:
    """Return the codes of the languages with a catalog: Albanian, English, then the rest by code.

    ``directory`` defaults to :func:`catalogs_dir`; :func:`hotspots.base.i18n.languages` asks here.
    """
    found = {p.parent.parent.name for p in (directory or catalogs_dir()).glob("*/LC_MESSAGES/messages.po")}
    return tuple(sorted(found, key=lambda code: (code != SOURCE_LANGUAGE, code != "en", code)))


_TILE_TEMPLATE = re.compile(r"^https?://[^\s]+$")


def basemap_kind(setting: str) -> str:
    """Return what a basemap setting is: ``none``, ``osm``, ``url`` or ``mbtiles``.

    Raises
    ------
    ValueError
        If the setting is none of these (named, with what is allowed).

    Examples
    --------
    >>> basemap_kind("https://tiles.example.local/{z}/{x}/{y}.png"), basemap_kind("/srv/elbasan.mbtiles")
    ('url', 'mbtiles')
    """
    value = setting.strip()
    if value.lower() in ("", "none"):
        return "none"
    if value.lower() == "osm":
        return "osm"
    if _TILE_TEMPLATE.match(value) and all(part in value for part in ("{z}", "{x}", "{y}")):
        return "url"
    if value.lower().endswith(".mbtiles"):
        return "mbtiles"
    raise ValueError(f"HOTSPOTS_BASEMAP={setting!r} is not allowed; use none, osm, a tile URL template with "
                     "{z}, {x} and {y}, or the path of an .mbtiles file")


def default_language() -> str:
    """Return the default language, ``HOTSPOTS_LANG`` (any case) or Albanian (``sq``).

    Raises
    ------
    SettingError
        If no catalog of that language exists (:func:`catalog_languages`).
    """
    languages = catalog_languages
    lang = env("HOTSPOTS_LANG").lower() or "sq"
    if lang not in languages():
        raise SettingError("err_setting", name="HOTSPOTS_LANG", value=lang[:40], allowed=", ".join(languages()))
    return lang


def basemap() -> str:
    """Return the basemap setting ``HOTSPOTS_BASEMAP``.

    ``none`` (default, works offline), ``osm``, a tile URL template of an internal server
    (``https://…/{z}/{x}/{y}.png``), or the path of an ``.mbtiles`` file the app serves itself
    (see :mod:`hotspots.maps.basemap`).

    Raises
    ------
    SettingError
        If the value is none of these (the message says why).
    """
    value = env("HOTSPOTS_BASEMAP") or "none"
    try:
        basemap_kind(value)
    except ValueError as exc:
        raise SettingError("err_setting", name="HOTSPOTS_BASEMAP", value=value[:80], allowed=str(exc)) from None
    return value


def nominatim_enabled() -> bool:
    """Return whether the online Nominatim geocoder may be used (opt-in ``HOTSPOTS_NOMINATIM``)."""
    return flag("HOTSPOTS_NOMINATIM")


def flag(name: str) -> bool:
    """Return a yes/no setting: ``1/true/yes/on`` or ``0/false/no/off`` (any case), unset = no.

    Raises
    ------
    SettingError
        For any other value.
    """
    value = env(name).lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise SettingError("err_setting", name=name, value=value[:40], allowed="1/true/yes/on, 0/false/no/off")


def author() -> str:
    """Return ``HOTSPOTS_AUTHOR``, the author the command line writes in the history ("" if unset)."""
    return env("HOTSPOTS_AUTHOR")[:80]


def admin_password() -> str | None:
    """Return ``HOTSPOTS_ADMIN_PASSWORD``, the first admin's password (None: generate a one-time one)."""
    return env("HOTSPOTS_ADMIN_PASSWORD") or None


def secret_key() -> bytes | None:
    """Return ``HOTSPOTS_SECRET_KEY``, the session-signing secret shared by app processes (None if unset).

    Raises
    ------
    SettingError
        If it is shorter than 32 bytes.
    """
    value = env("HOTSPOTS_SECRET_KEY")
    if value and len(value.encode()) < 32:
        raise SettingError("err_setting", name="HOTSPOTS_SECRET_KEY", value="…", allowed="≥ 32 bytes")
    return value.encode() if value else None

# -- incidents ---------------------------------------------------------------
#: Largest incident file accepted, in bytes (police exports of several years).
INCIDENT_IMPORT_MAX_BYTES: int = 60 * 1024 * 1024
#: Largest upload, in MiB, the server takes at all (the largest of the import limits): Streamlit's
#: ``server.maxUploadSize`` (``.streamlit/config.toml``, and set by ``hotspots.serve``) and, one
#: MiB more for the multipart envelope, nginx's ``client_max_body_size`` in ``deploy/nginx.conf``.
#: A larger file is refused before it arrives; each import still checks its own limit.
UPLOAD_MAX_MB: int = -(-max(IMPORT_MAX_BYTES, INCIDENT_IMPORT_MAX_BYTES) // (1024 * 1024))
#: Incidents within this many metres of a hotspot drawn as a point count for it.
INCIDENT_POINT_RADIUS_M: float = 150.0
#: Incidents within this many metres of a hotspot drawn as a street (line) count for it.
INCIDENT_STREET_BUFFER_M: float = 50.0
#: Side, in metres, of the square cells council and the public see instead of points.
INCIDENT_CELL_M: float = 250.0
#: Counts below this are shown as "<N" to council and the public (never the number).
INCIDENT_SUPPRESS_BELOW: int = 5
#: Tolerance, in metres, around a hotspot zone: an incident on its edge counts for it.
INCIDENT_EDGE_TOLERANCE_M: float = 1.0
#: Study area of the Prediction Accuracy Index: ``city`` (the city unit, where the plan's
#: hotspots are) or ``municipality``. Incidents outside it are left out of the index.
INCIDENT_PAI_AREA: str = "city"

# --- cannabis-risk zones (activity 1.9.3) ---
def cannabis_min_area_ha() -> float:
    """Return the smallest cannabis-risk zone, in hectares, the public view shows on its own.

    ``HOTSPOTS_CANNABIS_MIN_HA`` (default 5 ha). Smaller zones are only counted in their
    administrative unit: a small plot points at a person, and 1.9.3 publishes territories.
    """
    value = env("HOTSPOTS_CANNABIS_MIN_HA")
    try:
        number = float(value) if value else 5.0
    except ValueError:
        number = -1.0
    if not 0.0 <= number < 1e6:
        raise SettingError("err_setting", name="HOTSPOTS_CANNABIS_MIN_HA", value=value[:40], allowed="0 … 1000000 (ha)")
    return number


def problems() -> list[SettingError]:
    """Return every environment setting that has a value the app cannot use (empty when all are fine)."""
    checks: tuple[Callable[[], object], ...] = (
        first_period, today, locale_dir, default_language, basemap, nominatim_enabled, secret_key, cannabis_min_area_ha,
        runtime_dir, trusted_proxies,
    )
    found = []
    for check in checks:
        try:
            check()
        except SettingError as exc:
            found.append(exc)
    return found


# --- Gi* hot spots, emerging hot spots, displacement ------------------------------
#: Side, in metres, of the square cells of the Gi* grid (EPSG:32634) over the city unit.
GI_CELL_M: float = 150.0
#: Distance band of the Gi* weights, in cell sides: sqrt(2) takes the 8 surrounding cells
#: (queen contiguity) plus the cell itself (Gi*), so every cell of a connected grid has neighbours.
GI_BAND_CELLS: float = 2.0 ** 0.5
#: Mean incidents per cell below which the Gi* p-values are exact (binomial, incidents spread evenly
#: over the study area) instead of normal: the usual "expected count of at least 5" rule. Sparse counts
#: (most cells 0–2) have tails far heavier than the normal curve's at the small p the false-discovery
#: rate needs.
GI_EXACT_BELOW: float = 5.0
#: False-discovery-rate levels (Benjamini-Hochberg) of the 99 / 95 / 90 % classes.
GI_LEVELS: tuple[tuple[int, float], ...] = ((99, 0.01), (95, 0.05), (90, 0.10))
#: Smallest confidence, in percent, of the hot cells whose clusters are proposed as new hotspots.
GI_PROPOSAL_LEVEL: int = 95
#: Step of the emerging hot-spot space-time cube: ``month`` or ``quarter``.
EHSA_STEP: str = "quarter"
#: Confidence, in percent, a bin's Gi* needs (after FDR within its time slice) to count as hot or cold.
EHSA_BIN_LEVEL: int = 90
#: Significance level of the Mann-Kendall trend of a cell's Gi* z-scores.
EHSA_TREND_ALPHA: float = 0.05
#: Share of time steps a location must be hot (cold) in for the persistent family of labels.
EHSA_SHARE: float = 0.9
#: Width, in metres, of the buffer ring (possible displacement area) around a target area.
DISPLACEMENT_BUFFER_M: float = 400.0
#: Gap, in metres, between the buffer ring and the control area (the rest of the city unit).
DISPLACEMENT_GAP_M: float = 200.0
#: Fewest incidents in the target zone, before and after together, for a displacement reading; below it
#: the check says "too few incidents to read" (with 10, a fall from 7 to 3 is p = 0.17 against a
#: steady control: counts this small cannot show a change).
DISPLACEMENT_MIN_COUNT: int = 10
#: Level of the exact tests of the zone's and the ring's change relative to the control area.
DISPLACEMENT_ALPHA: float = 0.05
#: Earlier time steps in a bin's space-time neighbourhood (Esri's "neighborhood time step", default 1).
EHSA_TIME_LAG: int = 1
