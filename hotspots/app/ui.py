"""Streamlit glue: cached loaders, session-state keys, the shared sidebar and widgets.

This is the only module of :mod:`hotspots` that imports Streamlit. Pages call these
helpers and the pure functions of the library; they hold no analysis of their own.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd
import streamlit as st

from hotspots.accounts import auth, sessions
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.base.i18n import language_name, languages, t, tn
from hotspots.base.labels import CATEGORY, LAYER, PRIORITY, QUALITY, ROLE, label
from hotspots.base.plain import markdown_text
from hotspots.db import database
from hotspots.evidence import found_hotspots, gi_maps, gi_views
from hotspots.evidence import views as evidence_views
from hotspots.incidents import config, count_views, counts, disclosure, importing, reading, table
from hotspots.incidents import maps as incident_maps
from hotspots.incidents.cleaning import report_frame
from hotspots.incidents.config import load_config
from hotspots.incidents.count_views import display
from hotspots.maps import builders as maps
from hotspots.places import service as places
from hotspots.places.service import ensure_seed
from hotspots.plan import editing, exchange, geocode, model, units, views
from hotspots.plan.plan import Plan, load_plan
from hotspots.plan.store import Store
from hotspots.review import review


# Session-state keys, declared once.
K_LANG = "lang"
K_USER = "auth_user"
K_ROLE = "auth_role"
K_TOKEN = "auth_token"
K_COOKIE = "auth_cookie"
K_MUST_CHANGE = "auth_must_change"
K_EXPIRED = "auth_expired"
K_NOTICE = "auth_notice"
K_PERIOD = "f_period"
K_CATEGORY = "f_category"
K_UNITS = "f_units"
K_PRIORITY = "f_priority"
K_LAYERS = "f_layers"


def lang() -> str:
    """Return the language of this session (``sq`` by default, ``?lang=en`` honoured)."""
    if K_LANG not in st.session_state:
        wanted = st.query_params.get("lang", settings.default_language())
        st.session_state[K_LANG] = wanted if wanted in languages() else "sq"
    return str(st.session_state[K_LANG])


def tr(key: str, **params: Any) -> str:
    """Return the text ``key`` in this session's language."""
    return t(key, lang(), **params)


def trm(key: str, **params: Any) -> str:
    """Return :func:`tr` for an element that renders Markdown: every text parameter shown as typed."""
    return tr(key, **{k: markdown_text(v) if isinstance(v, str) else v for k, v in params.items()})


def message(exc: HotspotError) -> str:
    """Return an error's message in this session's language, its text parameters shown as typed (Markdown escaped)."""
    return exc.message(lang(), escape=markdown_text)


def upload_mb(limit_bytes: int) -> int:
    """Return an import's size limit in whole MiB, for ``st.file_uploader(max_upload_size=…)`` (refused in the browser)."""
    return max(1, -(-limit_bytes // (1024 * 1024)))


def code_label(labels: Mapping[str, str], code: object, **params: Any) -> str:
    """Return the label of a stored code (a category, a role …) in this session's language (:mod:`hotspots.base.labels`)."""
    return label(labels, code, lang(), **params)


def trn(key: str, n: int, **params: Any) -> str:
    """Return the text ``key`` for the number ``n`` (singular or plural) in this session's language."""
    return tn(key, n, lang(), **params)


@st.cache_resource
def get_store(url: str) -> Store:
    """Return the store for ``url``, created (and the baseline loaded) if needed."""
    store = Store(url)
    store.check_readable()  # a damaged or newer store is a message, never half read
    store.init(author="system")

    ensure_seed(store)
    return store


def store() -> Store:
    """Return the store of this app (``HOTSPOTS_DB`` or the default file)."""
    return get_store(settings.database_url())


_Frame = TypeVar("_Frame", pd.DataFrame, gpd.GeoDataFrame)


def _own(frame: _Frame) -> _Frame:
    """Return a caller's own view of a frame every session shares (``st.cache_resource``).

    A shallow copy: no data is copied, and pandas' copy-on-write keeps any change the
    caller makes to it (a new column, a cell set) out of the shared frame. So one copy of a
    store's data serves every session of the process, where ``st.cache_data`` unpickled a
    new copy for each call (0.3 s and ~30 MB per call at 100,000 incidents).
    """
    return frame.copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=8)
def _shared_hotspots(url: str, version: int, dataset: str | None) -> gpd.GeoDataFrame:
    return get_store(url).hotspots(dataset=dataset)


def _hotspots(url: str, version: int, dataset: str | None) -> gpd.GeoDataFrame:
    return _own(_shared_hotspots(url, version, dataset))


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


@st.cache_data(show_spinner=False, max_entries=64)  # one per filter set: kept pickled (compact), not live
def _view(url: str, version: int, dataset: str, filters: views.Filters) -> gpd.GeoDataFrame:
    return views.apply_filters(_hotspots(url, version, dataset), filters, _priorities(url, version, filters.period))


def filtered_view(filters: views.Filters, dataset: str | None = None) -> gpd.GeoDataFrame:
    """Return the observations that pass ``filters``; cached until the store changes.

    ``dataset`` defaults to the one the pages show (:func:`current_dataset`); the editing
    pages always ask for ``real``.
    """
    s = store()
    return _view(s.url, s.version(), dataset or current_dataset(), filters)


@st.cache_data(show_spinner=False, max_entries=64)
def _unit_tables(url: str, version: int, dataset: str, filters: views.Filters, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    view = _view(url, version, dataset, filters)
    missing = views.needs_location(view)
    shown = missing if missing.empty else views.display_table(missing, lang, columns=["id", "name", "category", "unit",
                                                                                     "location_source"])
    return views.counts_by_unit(view, lang), shown


def view_tables(filters: views.Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the filtered view's counts per unit and its hotspots needing a location (display tables).

    Built once per data version, filters and language: a rerun that changes nothing of
    them (a download, another widget) does not count again.
    """
    s = store()
    return _unit_tables(s.url, s.version(), current_dataset(), filters, lang())


@st.cache_data(show_spinner=False, max_entries=16)
def _export(url: str, version: int, dataset: str, filters: views.Filters, fmt: str, include_internal: bool,
            lang: str) -> bytes:
    return exchange.export_bytes(_view(url, version, dataset, filters), fmt, include_internal=include_internal,
                                 lang=lang)


def export_view(filters: views.Filters, fmt: str, *, include_internal: bool) -> bytes:
    """Return the filtered view exported as ``fmt`` (CSV headers in the page's language); cached."""
    s = store()
    return _export(s.url, s.version(), current_dataset(), filters, fmt, include_internal, lang())


def export_later(filters: views.Filters, fmt: str, *, include_internal: bool) -> Callable[[], bytes]:
    """Return a function that exports the filtered view when called (a download button's deferred data).

    The store, data version, dataset and language are read now, in the page's run: the button
    calls the function on its own thread, where there is no session. A run that only shows
    the button builds no export.
    """
    s = store()
    args = (s.url, s.version(), current_dataset(), filters, fmt, include_internal, lang())
    return lambda: _export(*args)


@st.cache_data(show_spinner=False, max_entries=64)  # one per filter set and language: kept pickled, not live
def _payload(url: str, version: int, dataset: str, filters: views.Filters, lang: str) -> dict[str, Any]:
    return maps.hotspot_payload(_view(url, version, dataset, filters), lang=lang)


def map_payload(filters: views.Filters, dataset: str | None = None) -> dict[str, Any]:
    """Return the compact map payload of the filtered view (cached per data version and language)."""
    s = store()
    return _payload(s.url, s.version(), dataset or current_dataset(), filters, lang())


@st.cache_data(show_spinner=False, max_entries=8)
def _review_pack(url: str, version: int, a: str, b: str, lang: str, dataset: str, suppress_counts: bool = True) -> bytes:
    return review.review_pack(get_store(url), a, b, lang=lang, dataset=dataset, suppress_counts=suppress_counts)


def review_pack(a: str, b: str, *, lang: str, dataset: str) -> bytes:
    """Return the review pack PDF, built once per data version, periods, language and dataset.

    Every visitor's click used to rebuild it (~1.7 s of CPU); now only a write does.
    """
    s = store()
    return _review_pack(s.url, s.version(), a, b, lang, dataset, not sees_incident_points())  # issue 13: "<5" by role


def plan() -> Plan:
    """Return the plan (cached by the loader)."""
    return load_plan()


@st.cache_data(show_spinner=False)
def _units_layer(path: str, mtime: float) -> gpd.GeoDataFrame:
    return units.load_units(Path(path))


def units_layer() -> gpd.GeoDataFrame:
    """Return the unit layer in use, reloaded when it is replaced or its file changes."""
    path = settings.units_file()
    return _units_layer(str(path), path.stat().st_mtime)


@contextmanager
def fault_guard() -> Iterator[None]:
    """Turn a database fault or an unexpected library error into a translated message.

    Streamlit's own control flow (``st.stop``, ``st.rerun``) passes through untouched.
    """
    import sqlite3

    import sqlalchemy as sa

    try:
        yield
    except HotspotError as exc:
        st.error(message(exc))
    except (sa.exc.SQLAlchemyError, sqlite3.Error, OSError) as exc:  # a full disk is said so, not "cannot be read"

        st.error(message(database.fault(exc)))


@st.cache_resource
def _secret_for(folder: str) -> bytes:
    return sessions.secret_key(Path(folder))


def secret() -> bytes:
    """Return the cookie-signing secret of this installation (environment or data folder)."""
    return _secret_for(str(settings.data_dir(store().url)))


def _forget_login() -> None:
    for key in (K_USER, K_ROLE, K_TOKEN, K_MUST_CHANGE):
        st.session_state.pop(key, None)


def check_session() -> None:
    """Check this run's login against the store (called first by ``app.py`` on every run).

    The token comes from this session's state or, after a reload or in a new tab, from
    the signed cookie. The login holds only while :func:`hotspots.accounts.sessions.check` accepts
    it: the account exists, its credential version is unchanged and it was not idle too
    long. Otherwise the session is logged out and the login page says why.
    """
    token = st.session_state.get(K_TOKEN)
    if not token:
        cookie = st.context.cookies.get(sessions.COOKIE)
        token = sessions.unsign(cookie if isinstance(cookie, str) else None, secret())
    session = sessions.check(store(), token)
    if session is None:
        if st.session_state.get(K_TOKEN):
            st.session_state[K_EXPIRED] = True
        _forget_login()
        return
    st.session_state.update({K_TOKEN: session.token, K_USER: session.name, K_ROLE: session.role,
                             K_MUST_CHANGE: session.must_change})


def login(name: str, password: str) -> float | None:
    """Log in with a name and password (throttled in the store).

    Returns None when logged in, else the seconds to wait before the next try (0 for a
    plain wrong name or password).
    """
    result = sessions.login(store(), name, password, client=client_address())
    if result.session is None:
        return result.wait
    _remember(result.session.token)
    st.session_state.update({K_USER: result.session.name, K_ROLE: result.session.role,
                             K_MUST_CHANGE: result.session.must_change})
    st.session_state.pop(K_EXPIRED, None)
    return None


def client_address() -> str:
    """Return the address this browser connects from (through a trusted proxy: the one it names)."""
    peer = st.context.ip_address  # Streamlit gives None for a loopback peer (nginx beside the app)
    forwarded = ", ".join(st.context.headers.get_all("X-Forwarded-For"))
    return sessions.client_address(peer if isinstance(peer, str) else None, forwarded,
                                   trusted=settings.trusted_proxies())


def _remember(token: str) -> None:
    """Keep ``token`` in this session and (signed) in the browser's cookie."""
    st.session_state[K_TOKEN] = token
    st.session_state[K_COOKIE] = sessions.sign(token, secret())


def start_new_session() -> None:
    """Give this tab a fresh session after its own password change ended all the others."""
    name = user()
    if name is not None:
        _remember(sessions.start(store(), name))
        st.session_state[K_MUST_CHANGE] = False


def logout() -> None:
    """End every session of this account (all tabs and browsers) and clear the cookie."""
    name = user()
    if name is not None:
        sessions.end_all(store(), name)
    _forget_login()
    st.session_state[K_COOKIE] = ""


def _cookie_script(value: str) -> str:
    """Return the script that writes (or, for ``""``, clears) the session cookie in the app's page."""
    age = settings.SESSION_MAX_HOURS * 3600 if value else 0
    return ("<script>(function(){var d=window.parent.document;"
            f"var c={json.dumps(sessions.COOKIE)}+'='+{json.dumps(value)}+'; Path=/; SameSite=Strict; Max-Age={age}';"
            "if(window.parent.location.protocol==='https:'){c+='; Secure';}d.cookie=c;})();</script>")


def sync_cookie() -> None:
    """Write the pending cookie in the browser (a 1-pixel ``st.iframe``; no-op when none).

    ``st.iframe`` replaces the deprecated ``st.components.v1.html``; its HTML runs in a
    same-origin frame, so the script reaches the app's page (``window.parent``).
    """
    value = st.session_state.get(K_COOKIE)
    if value is not None:
        st.iframe(_cookie_script(str(value)), height=1, tab_index=-1)


def role() -> str | None:
    """Return the role of the logged-in account, or None for a visitor."""
    value = st.session_state.get(K_ROLE)
    return str(value) if value else None


def must_change_password() -> bool:
    """Return whether the logged-in account still has a one-time password to change."""
    return bool(st.session_state.get(K_MUST_CHANGE)) and user() is not None


def grade_select(key: str, *, current: str = "approximate", grades: tuple[str, ...] | None = None) -> str:
    """Show the location-grade choice (translated labels) with ``current`` chosen; return the grade."""
    options = list(grades or model.PLACED_GRADES)
    index = options.index(current) if current in options else len(options) - 1
    return str(st.selectbox(tr("f_quality"), options, index=index, key=key, format_func=lambda q: code_label(QUALITY, q)))


def can(permission: str) -> bool:
    """Return whether this session may do ``permission`` (see :data:`hotspots.accounts.auth.PERMISSIONS`)."""
    return not must_change_password() and auth.can(role(), permission)


def login_form() -> None:
    """Draw the login form; on success rerun the script (the same page, now logged in)."""
    with st.form("login_form"):
        name = st.text_input(tr("login_user"), key="login_name", max_chars=40)
        password = st.text_input(tr("login_password"), type="password", key="login_password", max_chars=200)
        submitted = st.form_submit_button(tr("login_button"))
    if submitted:
        wait = login(name, password)
        if wait is None:
            st.rerun()
        elif wait > 0:
            st.error(tr("login_locked", seconds=int(wait) + 1))
        else:
            st.error(tr("login_failed"))


def require(permission: str) -> str:
    """Stop the page unless the session has ``permission``.

    A visitor gets a login form, a role without the permission a translated refusal.

    Returns the account name (the author of any write) when allowed. The login is
    checked against the store again here, right before any write the page may do.
    """
    check_session()
    if user() is None:
        if st.session_state.pop(K_EXPIRED, False):
            st.warning(tr("login_ended"))
        st.info(tr("login_needed"))
        login_form()
        st.stop()
    if not can(permission):
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
        st.radio(tr("language"), languages(), key=K_LANG, horizontal=True,
                 format_func=language_name)
        if user():
            st.caption(f"{tr('logged_in_as')}: **{markdown_text(user())}** · {code_label(ROLE, str(role()))}")
        if current_dataset() == "example":
            st.error(tr("example_banner"))
        st.caption(tr("attribution"))
        sync_cookie()


def banners() -> None:
    """Show the notes every map page carries (approximate units, example data)."""
    if units.units_are_approximate(units_layer()):
        st.info(tr("approx_units_banner"), icon="⚠️")


#: Page styles: Streamlit's English input hints ("Press Enter to apply") are hidden (the app's
#: own labels and buttons say what to do); printing hides the sidebar, header and controls.
PAGE_CSS = """<style>
[data-testid="InputInstructions"] { display: none; }
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  .stDownloadButton, [data-testid="stTextInput"], .stButton { display: none !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { margin: 0 !important; padding: 0 !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0.5rem !important; }
  iframe { break-inside: avoid; }
}
</style>"""


K_FLASH = "flash_messages"


def flash(message: str) -> None:
    """Keep a success message for the next run (a page reruns after a save to show fresh data)."""
    st.session_state.setdefault(K_FLASH, []).append(message)


def show_flash() -> None:
    """Show, once, the messages kept by :func:`flash`."""
    for message in st.session_state.pop(K_FLASH, []):
        st.success(message, icon=":material/check_circle:")


def clear_keys(*keys: str) -> None:
    """Forget widget values (call before the widgets are drawn: a form after a save)."""
    for key in keys:
        st.session_state.pop(key, None)


def example_edit_note() -> None:
    """On an editing page, say where saves go while the example series is loaded."""
    if current_dataset() == "example":
        st.warning(tr("example_edit_note"), icon=":material/school:")


def page_style() -> None:
    """Add the page styles: no English input hints; a print stylesheet (the sidebar is hidden when printing)."""
    st.html(PAGE_CSS)


def period_notice(everything: gpd.GeoDataFrame, filters: views.Filters, *, shown: int) -> None:
    """Say so when the chosen period has no records, or the filters leave nothing to show."""
    note = views.period_note(everything, filters, shown, lang())
    if note:
        st.warning(note, icon=":material/info:")


def place_search(prefix: str) -> Any:
    """Draw a place search (the offline gazetteer first) and return the chosen candidate, or None.

    Keys are ``{prefix}_query``, ``{prefix}_search``, ``{prefix}_pick``; the results stay
    in ``{prefix}_candidates`` until the next search.
    """
    query = st.text_input(tr("place_search"), key=f"{prefix}_query")
    if st.button(tr("place_search_button"), key=f"{prefix}_search") and query.strip():
        found, refused = geocode.geocode(query)
        st.session_state[f"{prefix}_candidates"] = found
        for c in refused:
            st.warning(trm("err_geocode_outside", query=c.name))
        if not found:
            st.warning(trm("err_geocode_none", query=query))
    candidates = st.session_state.get(f"{prefix}_candidates") or []
    if not candidates:
        return None
    pick = st.radio(tr("place_candidates"), range(len(candidates)), key=f"{prefix}_pick",
                    format_func=lambda i: markdown_text(candidates[i].name))
    chosen = candidates[pick or 0]
    if not chosen.located:
        st.warning(trm("place_unlocated", name=chosen.name))
    return chosen


def place_search_apart(prefix: str) -> Any:
    """Draw :func:`place_search` as a fragment and return the place chosen, or None.

    Typing, searching and choosing rerun the search alone, never the map beside it; only
    when the chosen place changes does the whole page run again (the map marks it). The
    choice is kept in ``{prefix}_chosen``.
    """
    _place_fragment(prefix)
    return st.session_state.get(f"{prefix}_chosen")


@st.fragment
def _place_fragment(prefix: str) -> None:
    chosen, key = place_search(prefix), f"{prefix}_chosen"
    if chosen != st.session_state.get(key):
        st.session_state[key] = chosen
        st.rerun()  # the map shows the new place: the page's run, once


def filter_widgets(default_period: str) -> views.Filters:
    """Draw the map filters in the sidebar, initialised from and written back to the URL."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    initial = views.parse_filters(params, default_period=default_period)
    if K_PERIOD not in st.session_state and (ignored := views.ignored_params(params, initial)):
        st.info(tr("err_url_param", names=", ".join(ignored)))
    defaults = {K_PERIOD: initial.period, K_CATEGORY: list(initial.categories), K_UNITS: list(initial.units),
                K_PRIORITY: list(initial.priorities), K_LAYERS: list(initial.layers)}
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    lg = lang()  # bound now: format functions may be called outside this script run
    with st.sidebar:
        st.subheader(tr("filters"))
        st.selectbox(tr("f_period"), model.review_periods(), key=K_PERIOD)
        st.multiselect(tr("f_category"), [str(c) for c in model.Category], key=K_CATEGORY,
                       format_func=lambda c: label(CATEGORY, c, lg), placeholder=tr("f_all"), select_all=False)
        st.multiselect(tr("f_units"), list(settings.UNIT_NUMBERS), key=K_UNITS,
                       format_func=lambda u: t("unit_n", lg, n=u), placeholder=tr("f_all"), select_all=False)
        st.multiselect(tr("f_priority"), [str(p) for p in model.Priority], key=K_PRIORITY,
                       format_func=lambda p: label(PRIORITY, p, lg), placeholder=tr("f_all"), select_all=False)
        st.multiselect(tr("f_layers"), list(views.LAYERS), key=K_LAYERS, format_func=lambda v: label(LAYER, v, lg),
                       placeholder=tr("f_none"), select_all=False)
    filters = views.Filters(
        period=st.session_state[K_PERIOD], categories=tuple(st.session_state[K_CATEGORY]),
        units=tuple(st.session_state[K_UNITS]), priorities=tuple(st.session_state[K_PRIORITY]),
        layers=tuple(st.session_state[K_LAYERS]),
    )
    st.query_params.from_dict({**views.filters_to_params(filters), "lang": lang()})
    return filters


def picker_map(filters: views.Filters, *, chosen: tuple[float, float] | None = None,
               previous: tuple[float, float] | None = None) -> Any:
    """Return the map staff click on, with this period's real hotspots and the chosen point."""
    layer = units_layer()
    counts = views.active_counts_per_unit(filtered_view(filters, "real"), category=views.shading_category(filters))
    return maps.picker_map(map_payload(filters, "real"), plan=plan(), priorities=priorities(filters.period), lang=lang(),
                           units=layer, unit_counts=counts,
                           approximate_units=units.units_are_approximate(layer),
                           municipality=units.municipality(), city=units.city_unit(), chosen=chosen,
                           previous=previous, basemap=settings.basemap())


def show_map(m: Any, *, key: str, height: int = 620, returned_objects: list[str] | None = None,
             overlay: Any = None) -> dict[str, Any]:
    """Render a folium map with streamlit-folium; panning never reruns the page.

    ``overlay`` (a ``folium.FeatureGroup``, :func:`hotspots.maps.builders.hotspot_overlay`) travels as
    streamlit-folium's ``feature_group_to_add``: while the map ``m`` renders to the same
    script, the browser keeps it and only replaces the overlay.
    """
    from streamlit_folium import st_folium

    state: dict[str, Any] = st_folium(m, key=key, height=height, use_container_width=True,
                                      returned_objects=returned_objects or [], feature_group_to_add=overlay)
    return state


@st.cache_data(show_spinner=False, max_entries=4)
def _coverage_payload(url: str, version: int, dataset: str, period: str) -> dict[str, Any]:
    return places.coverage_payload(get_store(url), period=period, dataset=dataset,
                                   hotspots=_hotspots(url, version, dataset))


def add_place_layers(fmap: Any, period: str) -> None:
    """Add the cameras, coverage, cannabis-zone and school layers (issue 15); coverage kept per data version."""
    s, internal = store(), can("see_cameras")
    coverage = _coverage_payload(s.url, s.version(), current_dataset(), period) if internal else None
    places.add_map_layers(fmap, s, lang(), period=period, internal=internal, dataset=current_dataset(),
                          coverage=coverage)


# -- incidents (issue 13) ---------------------------------------------------------------
K_INC_SHOW = "inc_show"
K_INC_FROM = "inc_from"
K_INC_TO = "inc_to"
K_INC_OFFENCES = "inc_offences"
K_INC_PERIOD = "inc_period"
K_INC_OFFENCE = "inc_offence"
K_INC_DENSITY = "inc_density"
K_INC_RESULT = "inc_result"


@st.cache_resource(show_spinner=False, max_entries=8)
def _shared_incidents(url: str, version: int, dataset: str, start: str | None, end: str | None,
                      offences: tuple[str, ...] | None) -> gpd.GeoDataFrame:
    return table.read(get_store(url), dataset=dataset, start=start, end=end,
                      offences=None if offences is None else list(offences))


def _incidents(url: str, version: int, dataset: str, start: str | None, end: str | None,
               offences: tuple[str, ...] | None) -> gpd.GeoDataFrame:
    return _own(_shared_incidents(url, version, dataset, start, end, offences))


@st.cache_data(show_spinner=False)
def _incident_counts(url: str, version: int) -> dict[str, int]:
    return {d: table.count(get_store(url), d) for d in ("real", "example")}


@st.cache_data(show_spinner=False, max_entries=8)
def _public_cells(url: str, version: int, dataset: str, period: str | None, offence: str | None) -> gpd.GeoDataFrame:
    return disclosure.public_cells(_incidents(url, version, dataset, None, None, None), period=period, offence=offence)


@st.cache_data(show_spinner=False, max_entries=4)
def _halves(url: str, version: int, dataset: str) -> list[str]:
    return disclosure.halves(_incidents(url, version, dataset, None, None, None))


@st.cache_data(show_spinner=False, max_entries=8)
def _protected_counts(url: str, version: int, dataset: str, by: str, lang: str) -> pd.DataFrame:
    data = _incidents(url, version, dataset, None, None, None)
    if by == "hotspot":
        observations = get_store(url).hotspots(dataset=dataset)
        return count_views.named(disclosure.hotspot_table(data, observations), observations, lang)
    return disclosure.unit_table(data)


def protected_counts(by: str) -> pd.DataFrame:
    """Return the half-year counts per ``hotspot`` or ``unit`` as council and the public see them (cached per data version)."""
    s = store()
    return _protected_counts(s.url, s.version(), incident_dataset(), by, lang())


def incident_halves() -> list[str]:
    """Return the half-years of the incidents shown, latest last (the only windows council and the public choose)."""
    s = store()
    return _halves(s.url, s.version(), incident_dataset())


def incident_dataset() -> str:
    """Return the incidents shown: ``example`` in training mode or when only example incidents exist."""
    s = store()
    n = _incident_counts(s.url, s.version())
    return "example" if current_dataset() == "example" or (n["real"] == 0 and n["example"] > 0) else "real"


def incidents(start: str | None = None, end: str | None = None, offences: tuple[str, ...] | None = None) -> gpd.GeoDataFrame:
    """Return the incidents shown (filtered); cached until the store changes."""
    s = store()
    return _incidents(s.url, s.version(), incident_dataset(), start, end, offences)


def sees_incident_points() -> bool:
    """Return whether this session may see incident points (analysts, staff, admin)."""
    return disclosure.sees_points(role())


def run_incident_import(name: str, data: bytes, mapping: bytes | None, *, dry_run: bool, example: bool) -> None:
    """Import an uploaded file as the logged-in account; keep the outcome for :func:`show_incident_import`."""
    author = require("view_notes")
    try:
        rules = config.parse_mapping(mapping.decode("utf-8", "replace"), name="mapping") if mapping else None
        raw = reading.read_upload(name, data, rules)
        rep = importing.import_raw(store(), raw, author=author, source=name, dataset="example" if example else "real",
                                   mapping=rules, dry_run=dry_run)
    except HotspotError as exc:
        st.session_state[K_INC_RESULT] = {"ok": False, "message": exc.message(lang()), "report": None, "csv": b""}
        return

    st.session_state[K_INC_RESULT] = {
        "ok": rep.accepted, "message": rep.summary(lang()), "csv": rep.report_csv(lang()),
        "report": report_frame(rep.cleaned.refused, rep.cleaned.unplaced, lang()),
    }


def show_incident_import() -> None:
    """Show the outcome of the last import: its summary, the row report and its download."""
    result = st.session_state.get(K_INC_RESULT)
    if not result:
        return
    (st.success if result["ok"] else st.error)(result["message"])
    if result["report"] is not None and len(result["report"]):
        st.dataframe(display(result["report"], lang()), hide_index=True, width="stretch", key="inc_report_table")
        st.download_button(tr("inc_report_dl"), result["csv"], "incident_import_report.csv", "text/csv", key="inc_report_dl")


def incident_filters() -> dict[str, Any]:
    """Draw the incident filters in the sidebar: show, date range, offences, density (analysts only).

    Council and the public choose one half-year and all offences or one class: the
    disclosure rules serve no other window (:mod:`hotspots.incidents.disclosure`).
    """
    cfg, lg = load_config(), lang()
    if not sees_incident_points():
        with st.sidebar.expander(tr("inc_map_filters"), expanded=False):
            show = st.checkbox(tr("inc_show"), value=True, key=K_INC_SHOW)
            halves = incident_halves()
            period = st.selectbox(tr("inc_period"), halves[::-1], key=K_INC_PERIOD) if halves else None
            offence = st.selectbox(tr("inc_offence_one"), [None, *cfg.offences], key=K_INC_OFFENCE,
                                   format_func=lambda o: tr("f_all") if o is None else cfg.label(o, lg))
        return {"show": show, "start": None, "end": None, "period": period, "offence": offence, "offences": None,
                "density": False}
    with st.sidebar.expander(tr("inc_map_filters"), expanded=False):
        show = st.checkbox(tr("inc_show"), value=True, key=K_INC_SHOW)
        start = st.date_input(tr("inc_from"), value=None, key=K_INC_FROM, format="YYYY-MM-DD")
        end = st.date_input(tr("inc_to"), value=None, key=K_INC_TO, format="YYYY-MM-DD")
        chosen = st.multiselect(tr("inc_offences"), list(cfg.offences), key=K_INC_OFFENCES,
                                format_func=lambda o: cfg.label(o, lg), placeholder=tr("f_all"))
        density = st.checkbox(tr("inc_density"), key=K_INC_DENSITY) if sees_incident_points() else False
    return {"show": show, "start": start.isoformat() if start else None, "end": end.isoformat() if end else None,
            "offences": tuple(chosen) or None, "density": density}


def add_incident_layer(fmap: Any, filters: dict[str, Any] | None = None) -> None:
    """Add the incidents (points or cells, by role) to a map, with a caption under it."""
    filters = filters or {"show": True, "start": None, "end": None, "offences": None, "density": False}
    if not filters["show"]:
        return
    s = store()
    if sees_incident_points():
        data, cells = incidents(filters["start"], filters["end"], filters["offences"]), None
        if data.empty:
            return
    else:  # council and the public: only the cached protected cells of one half-year, never the points
        data, cells = None, _public_cells(s.url, s.version(), incident_dataset(), filters.get("period"),
                                          filters.get("offence"))
        if cells.empty:
            return
    bandwidth = incident_maps.add_incident_layer(fmap, data, role=role(), lang=lang(), density=bool(filters["density"]),
                                                 cells=cells)
    notes = [] if sees_incident_points() else [tr("inc_suppressed_note", n=settings.INCIDENT_SUPPRESS_BELOW),
                                               tr("inc_secondary_note", n=settings.INCIDENT_SUPPRESS_BELOW)]
    if bandwidth is not None:
        notes.append(tr("inc_kde_note", h=round(bandwidth)))
    if incident_dataset() == "example":
        notes.append(tr("inc_example_banner"))
    st.session_state["inc_map_notes"] = notes


def incident_map_notes() -> None:
    """Show the notes of the incident layer drawn by :func:`add_incident_layer`."""
    for note in st.session_state.pop("inc_map_notes", []):
        st.caption(note)
def with_incident_counts(details: Any, a: str, b: str, dataset: str, observations: gpd.GeoDataFrame) -> Any:
    """Return the review's per-hotspot table with its incidents in ``a`` and ``b`` (when incidents of ``dataset`` exist)."""
    table = hotspot_incident_counts(dataset)
    if table is None or details.empty:
        return details
    return count_views.pair_columns(details, details.columns[0], table, a, b, lang(), suppress=not sees_incident_points())


@st.cache_resource(show_spinner=False, max_entries=4)
def _shared_incident_counts(url: str, version: int, dataset: str) -> pd.DataFrame:
    data = _incidents(url, version, dataset, None, None, None)  # the frame the map's incident layer shares
    if data.empty:
        return pd.DataFrame(columns=["id", "period", "total"])
    return counts.counts_by_hotspot(data, _hotspots(url, version, dataset))


def _hotspot_incident_counts(url: str, version: int, dataset: str) -> pd.DataFrame:
    """Return :func:`hotspots.incidents.counts.counts_by_hotspot` (half-years) of ``dataset``, once per data version."""
    return _own(_shared_incident_counts(url, version, dataset))


def hotspot_incident_counts(dataset: str) -> pd.DataFrame | None:
    """Return the per-hotspot half-year incident counts of ``dataset``, or None when it has no incidents.

    None too when the incidents shown are of another dataset: example and real are never mixed.
    """
    s = store()
    if incident_dataset() != dataset or _incident_counts(s.url, s.version())[dataset] == 0:
        return None
    return _hotspot_incident_counts(s.url, s.version(), dataset)


def with_incident_popups(payload: dict[str, Any], upto: str, dataset: str) -> dict[str, Any]:
    """Return the map payload with "12 in 2023-H2, 8 in 2023-H1" per hotspot (periods up to ``upto``).

    Counts from 1 to 4 read "<5" for council and the public.
    """
    if hotspot_incident_counts(dataset) is None:
        return payload
    s = store()
    texts = _incident_popup_texts(s.url, s.version(), dataset, upto, lang(), not sees_incident_points())
    return {**payload, "inc": [texts.get(i, "") for i in payload["id"]]}


@st.cache_data(show_spinner=False, max_entries=8)
def _incident_popup_texts(url: str, version: int, dataset: str, upto: str, lang: str, suppress: bool) -> dict[str, str]:
    """Return the popup text of every hotspot with incidents, by id (once per data version, not per rerun)."""
    table = _hotspot_incident_counts(url, version, dataset)
    ids = [str(i) for i in table["id"].unique()]
    return {i: text for i, text in zip(ids, count_views.popup_texts(table, ids, lang, upto=upto, suppress=suppress),
                                       strict=True) if text}


def incident_trend_table(dataset: str, *, unit: int | None = None) -> tuple[pd.DataFrame, str] | None:
    """Return the per-unit, per-category quarterly incident trends for the review page and their note.

    None without incidents of ``dataset``; counts 1-4 read "<5" for council and the public.
    """
    if incident_dataset() != dataset:
        return None
    data = incidents()
    if data.empty:
        return None
    protect = not sees_incident_points()
    table = disclosure.unit_trends(data) if protect else counts.unit_category_trends(data)
    periods = str(table["periods"].iloc[0]) if len(table) else ""
    return (review.incident_trend_table(table, lang(), unit=unit, suppress=protect),
            tr("rv_inc_trends_note_protected", periods=periods) if protect else tr("rv_inc_trends_note", periods=periods))


# -- end incidents (issue 13) -------------------------------------------------------------


# --- issue 14: Gi* hot spots, emerging hot spots, displacement ------------------------------
K_GI_SHOW = "gi_show"


@st.cache_data(show_spinner=False, max_entries=4)
def _gi_evidence(url: str, version: int, dataset: str, period: str, protect: bool) -> Any:
    s = get_store(url)
    return gi_views.build(_incidents(url, version, dataset, None, None, None), s.hotspots(dataset=dataset), period,
                          dismissed=found_hotspots.dismissed_keys(s), protect=protect)


def gi_evidence(period: str) -> Any:
    """Return the Gi* results of ``period`` for the incidents shown (:class:`hotspots.evidence.gi_views.Evidence`), cached.

    For council and the public, computed under the disclosure rules (counts 1-4 as 1).
    """
    s = store()
    return _gi_evidence(s.url, s.version(), incident_dataset(), period, not sees_incident_points())


@st.cache_data(show_spinner=False, max_entries=4)
def _council_evidence(url: str, version: int, dataset: str, period: str, role: str | None, lang: str, measure: str) -> Any:
    s = get_store(url)
    return evidence_views.build(_incidents(url, version, dataset, None, None, None), s.hotspots(dataset=dataset), period,
                                role=role, lang=lang, measure=measure)


def council_evidence(period: str, measure: str = "count") -> Any:
    """Return the evidence of the review ending in ``period`` as this session's role sees it, cached.

    See :class:`hotspots.evidence.views.Evidence`.
    """
    s = store()
    return _council_evidence(s.url, s.version(), incident_dataset(), period, role(), lang(), measure)


def add_gi_layer(fmap: Any, period: str) -> None:
    """For logged-in roles: a checkbox, and when ticked the Gi* cells of ``period`` with their legend and a note."""
    if role() is None or incidents().empty:
        return
    if st.checkbox(tr("gi_show_layer"), key=K_GI_SHOW):
        gi_maps.add_gi_layer(fmap, gi_evidence(period).detection, lang())
        notes = st.session_state.setdefault("inc_map_notes", [])
        notes += [tr("gi_layer_note"), tr("gi_explain_cells")]
def proposal_actions(evidence: Any, period: str) -> None:
    """Show staff one box per proposed hot zone: accept it into the add flow, or dismiss it with a reason."""
    author = user() or ""
    example = incident_dataset() == "example"
    for i, proposal in evidence.proposals.iterrows():
        where = f"{proposal['lat']:.5f}, {proposal['lon']:.5f}"
        with st.expander(f"{where} · {proposal['source']}"):
            name = st.text_input(tr("gi_proposal_name"), value=tr("gi_default_name", where=where), key=f"gi_name_{i}")
            reason = st.text_input(tr("gi_dismiss_reason"), key=f"gi_reason_{i}")
            c1, c2 = st.columns(2)
            try:
                if c1.button(tr("gi_accept"), key=f"gi_accept_{i}", disabled=example,
                             help=tr("gi_example_no_accept") if example else None):
                    saved = found_hotspots.accept(store(), proposal, author=author, name=name, period=period,
                                                  size_m=evidence.detection.grid.size)
                    flash(tr("gi_accepted", id=saved["id"]))
                    st.rerun()
                if c2.button(tr("gi_dismiss"), key=f"gi_dismiss_{i}"):
                    found_hotspots.dismiss(store(), str(proposal["key"]), reason=reason, author=author)
                    flash(tr("gi_dismissed"))
                    st.rerun()
            except HotspotError as exc:
                st.error(message(exc))
# --- end of issue 14 ---------------------------------------------------------------------


#: Session key: the version of each hotspot when its one-click "persists" was first shown ({id: version}).
K_RV_VERSIONS = "rv_versions"


def review_work(rv: Any, state: dict[str, Any], period: str, *, dataset: str, unit: int | None,
                versions: dict[str, int]) -> None:
    """Show staff what is left of the review of ``period`` (one-click "persists"), and closing or reopening it.

    ``versions`` are the hotspots' versions read before ``rv``'s rows: a "persists" is saved
    with the version its row was first shown at, and refused if the hotspot changed since.
    """
    author = user() or ""
    closed = bool(state["closed"])
    left_to_do = review.todo(rv, unit=unit)
    shown: dict[str, int] = st.session_state.setdefault(K_RV_VERSIONS, {})
    with st.expander(tr("rv_todo", period=period, n=len(left_to_do)), expanded=not left_to_do.empty and not closed):
        st.caption(tr("rv_other_outcome"))
        try:
            for row in left_to_do.itertuples(index=False):
                name_col, button_col = st.columns([4, 1])
                name_col.text(f"{row.id} · {row.name}")
                version = shown.setdefault(str(row.id), versions.get(str(row.id), 0))
                if button_col.button(tr("rv_persists_button"), key=f"rv_persists_{row.id}", disabled=closed):
                    shown.pop(str(row.id), None)  # saved or refused: the next run shows the stored version
                    editing.record_review(store(), str(row.id), period, outcome="persists", author=author,
                                          version=version)
                    st.rerun()
            if closed:
                reason = st.text_input(tr("rv_reopen_reason"), key="rv_reopen_reason")
                if st.button(tr("rv_reopen"), key="rv_reopen_button"):
                    editing.reopen_review(store(), period, author=author, reason=reason, dataset=dataset)
                    st.rerun()
            else:
                reason = st.text_input(tr("rv_close_reason"), key="rv_close_reason")
                if st.button(tr("rv_close", period=period), key="rv_close_button"):
                    editing.close_review(store(), period, author=author, reason=reason, dataset=dataset)
                    st.rerun()
        except HotspotError as exc:
            st.error(message(exc))
