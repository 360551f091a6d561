"""The widgets the pages share: the sidebar, the filters, the place search, the map element and its layers."""

from __future__ import annotations

from functools import cache
from typing import Any

import geopandas as gpd
import streamlit as st
import streamlit.components.v2 as components_v2

from hotspots.app.loaders import coverage_payload, current_dataset, filtered_view, map_payload, plan, priorities, units_layer
from hotspots.app.login import can, role, sync_cookie, user
from hotspots.app.session import K_CATEGORY, K_LANG, K_LAYERS, K_PERIOD, K_PRIORITY, K_UNITS, code_label, lang, store, tr
from hotspots.app.session import trm
from hotspots.base import settings
from hotspots.base.i18n import language_name, languages
from hotspots.base.labels import CATEGORY, LAYER, PRIORITY, QUALITY, ROLE, label, unit_words
from hotspots.base.plain import markdown_text
from hotspots.maps import builders as maps
from hotspots.maps import overlay as map_overlay
from hotspots.maps.builders import FeatureGroup, FoliumMap
from hotspots.places import service as places
from hotspots.plan import geocode, model, units, views


def grade_select(key: str, *, current: str = "approximate", grades: tuple[str, ...] | None = None) -> str:
    """Show the location-grade choice (translated labels) with ``current`` chosen; return the grade."""
    options = list(grades or model.PLACED_GRADES)
    index = options.index(current) if current in options else len(options) - 1
    return str(st.selectbox(tr("f_quality"), options, index=index, key=key, format_func=lambda q: code_label(QUALITY, q)))


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


def example_edit_note() -> None:
    """On an editing page, say where saves go while the example series is loaded."""
    if current_dataset() == "example":
        st.warning(tr("example_edit_note"), icon=":material/school:")


def period_notice(everything: gpd.GeoDataFrame, filters: views.Filters, *, shown: int) -> None:
    """Say so when the chosen period has no records, or the filters leave nothing to show."""
    note = views.period_note(everything, filters, shown, lang())
    if note:
        st.warning(note, icon=":material/info:")


def place_search(prefix: str) -> geocode.Candidate | None:
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
    chosen: geocode.Candidate = candidates[pick or 0]
    if not chosen.located:
        st.warning(trm("place_unlocated", name=chosen.name))
    return chosen


def place_search_apart(prefix: str) -> geocode.Candidate | None:
    """Draw :func:`place_search` as a fragment and return the place chosen, or None.

    Typing, searching and choosing rerun the search alone, never the map beside it; only
    when the chosen place changes does the whole page run again (the map marks it). The
    choice is kept in ``{prefix}_chosen``.
    """
    _place_fragment(prefix)
    chosen: geocode.Candidate | None = st.session_state.get(f"{prefix}_chosen")
    return chosen


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
                       format_func=lambda u: unit_words(u, lg), placeholder=tr("f_all"), select_all=False)
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
               previous: tuple[float, float] | None = None) -> FoliumMap:
    """Return the map staff click on, with this period's real hotspots and the chosen point."""
    layer = units_layer()
    counts = views.active_counts_per_unit(filtered_view(filters, "real"), category=views.shading_category(filters))
    return maps.picker_map(map_payload(filters, "real"), plan=plan(), priorities=priorities(filters.period), lang=lang(),
                           units=layer, unit_counts=counts,
                           approximate_units=units.units_are_approximate(layer),
                           municipality=units.municipality(), city=units.city_unit(), chosen=chosen,
                           previous=previous, basemap=settings.basemap())


def show_map(m: FoliumMap, *, key: str, height: int = 620, returned_objects: list[str] | None = None,
             overlay: FeatureGroup | None = None) -> dict[str, Any]:
    """Render a folium map with streamlit-folium; panning never reruns the page.

    ``overlay`` (:func:`hotspots.maps.builders.hotspot_overlay`) is sent as an element of its
    own after the map (:mod:`hotspots.maps.overlay`): while the map ``m`` is the same from one
    run to the next, Streamlit sends only a reference to it, the browser keeps it, and only the
    overlay travels and is drawn anew.
    """
    from streamlit_folium import st_folium

    spec = map_overlay.attach_overlay(m, overlay, host=key) if overlay is not None else None
    state: dict[str, Any] = st_folium(m, key=key, height=height, use_container_width=True,
                                      returned_objects=returned_objects or [])
    if spec is not None:
        _overlay_element()(key=f"{key}_overlay", data=dict(spec), height=0)
    return state


@cache
def _overlay_element() -> Any:
    """Register the overlay's component (``static/components/map-overlay.js``) once per process."""
    source = (settings.STATIC_DIR / "components" / "map-overlay.js").read_text(encoding="utf-8")
    return components_v2.component(
        "hotspots_map_overlay", js=source + "\nexport default function (component) { return MapOverlay.mount(component); }\n")


def add_place_layers(fmap: FoliumMap, period: str) -> None:
    """Add the cameras, coverage, cannabis-zone and school layers; coverage kept per data version."""
    s, internal = store(), can("see_cameras")
    coverage = coverage_payload(s.url, s.version(), current_dataset(), period) if internal else None
    places.add_map_layers(fmap, s, lang(), period=period, internal=internal, dataset=current_dataset(),
                          coverage=coverage)
