"""Streamlit glue: cached loaders, session-state keys, the shared sidebar and widgets.

This is the only module of :mod:`hotspots` that imports Streamlit. Pages call these
helpers and the pure functions of the library; they hold no analysis of their own.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import streamlit as st

from hotspots import model, settings, units, views
from hotspots.i18n import LANGUAGES, t
from hotspots.plan import Plan, load_plan
from hotspots.store import Store

# Session-state keys, declared once.
K_LANG = "lang"
K_USER = "auth_user"
K_ROLE = "auth_role"
K_LOGIN_AT = "auth_login_at"
K_PERIOD = "f_period"
K_CATEGORY = "f_category"
K_UNITS = "f_units"
K_PRIORITY = "f_priority"
K_LAYERS = "f_layers"


def lang() -> str:
    """Return the language of this session (``sq`` by default, ``?lang=en`` honoured)."""
    if K_LANG not in st.session_state:
        wanted = st.query_params.get("lang", settings.default_language())
        st.session_state[K_LANG] = wanted if wanted in LANGUAGES else "sq"
    return str(st.session_state[K_LANG])


def tr(key: str, **params: Any) -> str:
    """Return the text ``key`` in this session's language."""
    return t(key, lang(), **params)


@st.cache_resource
def get_store(url: str) -> Store:
    """Return the store for ``url``, created (and the baseline loaded) if needed."""
    store = Store(url)
    store.init(author="system")
    from hotspots.places import ensure_seed  # issue 15: OSM cameras and schools, once

    ensure_seed(store)
    return store


def store() -> Store:
    """Return the store of this app (``HOTSPOTS_DB`` or the default file)."""
    return get_store(settings.database_url())


@st.cache_data(show_spinner=False, max_entries=8)
def _hotspots(url: str, version: int, dataset: str | None) -> gpd.GeoDataFrame:
    return get_store(url).hotspots(dataset=dataset)


def hotspots(dataset: str | None = "real") -> gpd.GeoDataFrame:
    """Return every hotspot observation; cached until the store changes."""
    s = store()
    return _hotspots(s.url, s.version(), dataset)


@st.cache_data(show_spinner=False)
def _example_loaded(url: str, version: int) -> bool:
    return get_store(url).example_loaded()


def current_dataset() -> str:
    """Return the dataset the pages show: ``example`` while it is loaded, else ``real``."""
    return "example" if _example_loaded(store().url, store().version()) else "real"


@st.cache_data(show_spinner=False)
def _priorities(url: str, version: int, period: str) -> dict[str, str]:
    return views.priorities_in_period(load_plan(), get_store(url).priorities(), period)


def priorities(period: str) -> dict[str, str]:
    """Return each problem's priority in ``period``; cached until the store changes."""
    s = store()
    return _priorities(s.url, s.version(), period)


@st.cache_data(show_spinner=False)
def _view(url: str, version: int, dataset: str, filters: views.Filters) -> gpd.GeoDataFrame:
    return views.apply_filters(_hotspots(url, version, dataset), filters, _priorities(url, version, filters.period))


def filtered_view(filters: views.Filters) -> gpd.GeoDataFrame:
    """Return the observations that pass ``filters``; cached until the store changes."""
    s = store()
    return _view(s.url, s.version(), current_dataset(), filters)


@st.cache_data(show_spinner=False, max_entries=16)
def _export(url: str, version: int, dataset: str, filters: views.Filters, fmt: str, include_internal: bool) -> bytes:
    from hotspots import exchange

    return exchange.export_bytes(_view(url, version, dataset, filters), fmt, include_internal=include_internal)


def export_view(filters: views.Filters, fmt: str, *, include_internal: bool) -> bytes:
    """Return the filtered view exported as ``fmt``; cached until the store changes."""
    s = store()
    return _export(s.url, s.version(), current_dataset(), filters, fmt, include_internal)


@st.cache_data(show_spinner=False)
def _payload(url: str, version: int, dataset: str, filters: views.Filters) -> dict[str, Any]:
    from hotspots import maps

    return maps.hotspot_payload(_view(url, version, dataset, filters))


def map_payload(filters: views.Filters) -> dict[str, Any]:
    """Return the compact map payload of the filtered view (cached per data version)."""
    s = store()
    return _payload(s.url, s.version(), current_dataset(), filters)


def plan() -> Plan:
    """Return the plan (cached by the loader)."""
    return load_plan()


@st.cache_data(show_spinner=False)
def _units_layer(mtime: float) -> gpd.GeoDataFrame:
    return units.load_units()


def units_layer() -> gpd.GeoDataFrame:
    """Return the unit layer, reloaded when its file changes."""
    return _units_layer(settings.UNITS_FILE.stat().st_mtime)


def _expire_session() -> None:
    """Log out a session idle for longer than :data:`settings.SESSION_MINUTES`."""
    import time

    seen = st.session_state.get(K_LOGIN_AT)
    now = time.time()
    if seen is not None and now - float(seen) > settings.SESSION_MINUTES * 60:
        logout()
        st.session_state["auth_expired"] = True
    elif seen is not None:
        st.session_state[K_LOGIN_AT] = now


def login(name: str, password: str) -> bool:
    """Check a name and password against the stored bcrypt hash; start a session if right."""
    import time

    from hotspots import auth

    failures = int(st.session_state.get("auth_failures", 0))
    if failures >= settings.LOGIN_MAX_FAILURES:
        time.sleep(2)  # slow down guessing from one browser session
    account_role = auth.authenticate(store(), name.strip(), password)
    if account_role is None:
        st.session_state["auth_failures"] = failures + 1
        return False
    st.session_state.update({K_USER: name.strip(), K_ROLE: account_role, K_LOGIN_AT: time.time(), "auth_failures": 0})
    return True


def logout() -> None:
    """End the login session."""
    for key in (K_USER, K_ROLE, K_LOGIN_AT):
        st.session_state.pop(key, None)


def role() -> str | None:
    """Return the role of the logged-in account, or None for a visitor."""
    _expire_session()
    value = st.session_state.get(K_ROLE)
    return str(value) if value else None


def can(permission: str) -> bool:
    """Return whether this session may do ``permission`` (see :data:`hotspots.auth.PERMISSIONS`)."""
    from hotspots import auth

    return auth.can(role(), permission)


def require(permission: str) -> str:
    """Stop the page with a translated refusal unless the session has ``permission``.

    Returns the account name (the author of any write) when allowed.
    """
    if not can(permission) or user() is None:
        st.error(tr("err_permission"))
        st.stop()
    return str(user())


def user() -> str | None:
    """Return the name of the logged-in account, or None."""
    value = st.session_state.get(K_USER)
    return str(value) if value else None


def sidebar() -> None:
    """Draw the shared sidebar: language switch, account, data notes and attribution."""
    with st.sidebar:
        st.radio(tr("language"), LANGUAGES, key=K_LANG, horizontal=True,
                 format_func=lambda code: {"sq": "Shqip", "en": "English"}[code])
        if user():
            st.caption(f"{tr('logged_in_as')}: **{user()}** · {tr('role_' + str(role()))}")
        if current_dataset() == "example":
            st.error(tr("example_banner"))
        st.caption(tr("attribution"))


def banners() -> None:
    """Show the notes every map page carries (approximate units, example data)."""
    if units.units_are_approximate(units_layer()):
        st.info(tr("approx_units_banner"), icon="⚠️")


def filter_widgets(default_period: str) -> views.Filters:
    """Draw the map filters in the sidebar, initialised from and written back to the URL."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    initial = views.parse_filters(params, default_period=default_period)
    defaults = {K_PERIOD: initial.period, K_CATEGORY: list(initial.categories), K_UNITS: list(initial.units),
                K_PRIORITY: list(initial.priorities), K_LAYERS: list(initial.layers)}
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    lg = lang()  # bound now: format functions may be called outside this script run
    with st.sidebar:
        st.subheader(tr("filters"))
        st.selectbox(tr("f_period"), model.review_periods(), key=K_PERIOD)
        st.multiselect(tr("f_category"), [str(c) for c in model.Category], key=K_CATEGORY,
                       format_func=lambda c: t(f"cat_{c}", lg), placeholder=tr("f_all"))
        st.multiselect(tr("f_units"), list(settings.UNIT_NUMBERS), key=K_UNITS,
                       format_func=lambda u: t("unit_n", lg, n=u), placeholder=tr("f_all"))
        st.multiselect(tr("f_priority"), [str(p) for p in model.Priority], key=K_PRIORITY,
                       format_func=lambda p: t(f"prio_{p}", lg), placeholder=tr("f_all"))
        st.multiselect(tr("f_layers"), list(views.LAYERS), key=K_LAYERS, format_func=lambda v: t(f"layer_{v}", lg))
    filters = views.Filters(
        period=st.session_state[K_PERIOD], categories=tuple(st.session_state[K_CATEGORY]),
        units=tuple(st.session_state[K_UNITS]), priorities=tuple(st.session_state[K_PRIORITY]),
        layers=tuple(st.session_state[K_LAYERS]),
    )
    st.query_params.from_dict({**views.filters_to_params(filters), "lang": lang()})
    return filters


def picker_map(filters: views.Filters, *, chosen: tuple[float, float] | None = None,
               previous: tuple[float, float] | None = None) -> Any:
    """Return the map staff click on, with this period's hotspots and the chosen point."""
    from hotspots import maps

    layer = units_layer()
    counts = views.active_counts_per_unit(filtered_view(filters), category=views.shading_category(filters))
    return maps.picker_map(map_payload(filters), plan=plan(), priorities=priorities(filters.period), lang=lang(), units=layer,
                           unit_counts=counts,
                           approximate_units=units.units_are_approximate(layer),
                           municipality=units.municipality(), city=units.city_unit(), chosen=chosen,
                           previous=previous, basemap=settings.basemap())


def show_map(m: Any, *, key: str, height: int = 620, returned_objects: list[str] | None = None) -> dict[str, Any]:
    """Render a folium map with streamlit-folium; panning never reruns the page."""
    from streamlit_folium import st_folium

    return st_folium(m, key=key, height=height, use_container_width=True,
                     returned_objects=returned_objects or [])
