"""The map page's overlay as its own script, sent apart from the map it is drawn on.

A filter of category, unit or priority changes the hotspots and the unit shading, not the
map under them (:func:`hotspots.maps.builders.hotspot_base`). The map travels to the browser
as one element and the overlay as another; while the map's element is the same from one run
to the next, Streamlit sends only a reference to it (its cache of repeated messages), and the
overlay's small element carries the change. In the browser, ``static/components/map-overlay.js``
runs the overlay's script in the map's frame, in place of the overlay it drew before.

:func:`attach_overlay` marks the map as the overlay's host and gives it the overlay's scripts
(Leaflet plugins and ours), so they are loaded with the map; :func:`overlay_script` turns the
overlay into the script that draws it on the map's ``map_div`` (the name streamlit-folium gives
the map in its frame).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, TypedDict

import folium
from branca.element import Element
from folium.elements import JSCSSMixin

from hotspots.maps.elements import OverlayHost


#: The JavaScript name of the overlay's layer in the map's frame.
OVERLAY_LAYER = "feature_group_overlay_0"


class OverlaySpec(TypedDict):
    """What the browser side needs to draw an overlay: its host map, its script and the script's digest."""

    host: str
    script: str
    layer: str
    digest: str


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _needs(group: folium.FeatureGroup) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the ``default_js`` and ``default_css`` entries of every element of ``group``, once each."""
    js: dict[str, tuple[str, str]] = {}
    css: dict[str, tuple[str, str]] = {}
    for element in _walk(group):
        if isinstance(element, JSCSSMixin):
            js.update({name: (name, url) for name, url in getattr(element, "default_js", [])})
            css.update({name: (name, url) for name, url in getattr(element, "default_css", [])})
    return list(js.values()), list(css.values())


def overlay_script(group: folium.FeatureGroup) -> str:
    """Return the script that draws ``group`` on the map named ``map_div``.

    The group is rendered on a stand-in map of that name, and every element of it gets a name
    from its place in the group (``feature_group_overlay_0``, ``circle_marker_overlay_1``, …)
    rather than folium's random one: the same overlay gives the same script, byte for byte, so
    a run that changes nothing sends nothing new. The script ends by adding the group to the map.
    """
    stand_in = folium.Map(tiles=None)
    stand_in._id = "div"  # folium names it "map_" + id: "map_div", the name in streamlit-folium's frame
    stand_in.add_child(group)
    for index, element in enumerate(_walk(group)):
        element._id = f"overlay_{index}"
    figure: Any = stand_in.get_root()
    group.render()
    return str(figure.script.render()).strip()


def attach_overlay(fmap: folium.Map, group: folium.FeatureGroup, *, host: str) -> OverlaySpec:
    """Mark ``fmap`` as the host of ``group`` and return the overlay to send apart.

    The map gets an :class:`OverlayHost` element naming it ``host`` and loading the scripts and
    styles the group's elements need; ``group`` itself is not added to the map.
    """
    js, css = _needs(group)
    OverlayHost(host, js=js, css=css).add_to(fmap)
    script = overlay_script(group)
    digest = hashlib.sha256(script.encode()).hexdigest()[:16]
    return OverlaySpec(host=host, script=script, layer=OVERLAY_LAYER, digest=digest)
