"""The map's own folium elements: each renders a small script of static/js with its data as JSON."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from hotspots.maps.scripts import script
from hotspots.maps.styles import CENTER, CLUSTER_CSS, CLUSTER_JS, HEAT_JS, VENDOR_URL, ZOOM, js_json, style_table


class Raw(Element):
    """Text put into the page verbatim, never compiled as a Jinja template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text as it is."""
        return self.text


class RawMacroElement(MacroElement):
    """A :class:`MacroElement` whose rendered header and script are added verbatim.

    branca compiles every rendered script again as a Jinja template: slow for a large
    payload (it is lexed once more), and data holding ``{{`` would be evaluated.
    """

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca 0.8: MacroElement.__init__ is unannotated

    def map_name(self) -> str:
        """Return the JavaScript name of the map this element is on (through any feature group)."""
        element: Any = self._parent
        while element is not None and not isinstance(element, folium.Map):
            element = getattr(element, "_parent", None)
        return str((element if element is not None else self._parent).get_name())  # type: ignore[union-attr]

    def render(self, **kwargs: Any) -> str:
        """Render the macros once and add their text to the figure as :class:`Raw` elements."""
        figure = self.get_root()
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = module.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Raw(str(macro(self, kwargs))), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
        return ""


class IconPath(RawMacroElement):
    """Point Leaflet's default marker images at the app's own copy (added first)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "IconPath"
        self.path = f"{VENDOR_URL}/leaflet/images/"


class UnitShading(JSCSSMixin, RawMacroElement):
    """Shade the units drawn by :func:`add_unit_outlines` and set their labels (``MapControls.shadeUnits``)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        MapControls.shadeUnits({{ this.map_name() }}, {{ this.shading_json }});
        {% endmacro %}
    """)

    def __init__(self, shading: dict[str, dict[str, str]]) -> None:
        super().__init__()
        self._name = "UnitShading"
        self.shading_json = js_json(shading)
        self.default_js = [script("hs_map_controls")]


class Labels(JSCSSMixin, RawMacroElement):
    """Text labels at points (unit numbers, landmark names), drawn in the browser from data.

    ``labels`` is a list of ``[lat, lon, text]``; the browser sets the text as text, never
    as HTML (``MapControls.labels`` in ``static/js/map-controls.js``). With ``dots`` each
    label also gets a small grey dot; with ``min_zoom`` the layer shows only from that zoom
    on (so the city view stays readable).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        MapControls.labels({{ this._parent.get_name() }}, {{ this.labels_json }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, labels: list[list[Any]], *, css_class: str, anchor: tuple[int, int] = (0, 0),
                 min_zoom: int = 0, dots: bool = False) -> None:
        super().__init__()
        self._name = "Labels"
        self.labels_json = js_json(labels)
        self.options_json = js_json({"cssClass": css_class, "anchor": list(anchor), "minZoom": min_zoom, "dots": dots})
        self.default_js = [script("hs_map_controls")]


class MapControl(JSCSSMixin, RawMacroElement):
    """A static HTML box (legend, note) placed in a corner of the map.

    The HTML is built by this module from escaped text only (``MapControls.box`` in
    ``static/js/map-controls.js`` puts it in place).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        MapControls.box({{ this._parent.get_name() }}, {{ this.html_json }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, html_text: str, *, position: str = "bottomright", css_class: str = "") -> None:
        super().__init__()
        self._name = "MapControl"
        self.html_json = js_json(html_text)
        self.options_json = js_json({"position": position, "cssClass": css_class})
        self.default_js = [script("hs_map_controls")]


class Attribution(RawMacroElement):
    """Add text to the map's attribution control (e.g. © OpenStreetMap contributors)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text_json }});
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text_json = js_json(html.escape(text))


class NarrowLayout(JSCSSMixin, RawMacroElement):
    """Fold the legend on a small map (a picker beside its form, a phone), and again when a popup opens.

    The map is marked ``hs-small`` (and ``hs-narrow`` under 560 px) for smaller notes (``MapControls.narrowLayout``).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        MapControls.narrowLayout({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "NarrowLayout"
        self.default_js = [script("hs_map_controls")]


class HotspotLayer(JSCSSMixin, RawMacroElement):
    """All hotspots as one layer built in the browser from a compact payload.

    Points are canvas markers (a circle for crime, a diamond for street children);
    streets are lines and zones polygons; every geometry takes its style from
    :func:`style_table` (category colour, dashed and hollow when approximate, faded when
    resolved), as the legend does. The tooltip starts with the hotspot's stable id.
    Optional: a heat map of the same data, and clustering of the points. The browser side
    is ``HotspotLayer.add`` in ``static/js/hotspot-layer.js`` (it escapes every text with
    its ``esc``); this element only hands it the JSON data.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var D = {{ this.payload_json }}, P = {{ this.problems_json }}, L10N = {{ this.labels_json }};
            HotspotLayer.add({{ this._parent.get_name() }}, D, {problems: P, labels: L10N, map: {{ this.map_name() }},
                             styles: {{ this.styles_json }}, show: {{ this.show_json }}});
        })();
        {% endmacro %}
    """)

    def __init__(
        self, payload: dict[str, Any], problems: dict[str, Any], labels: dict[str, Any], *,
        show_hotspots: bool = True, heat: bool = False, cluster: bool = False,
    ) -> None:
        super().__init__()
        self._name = "HotspotLayer"
        self.payload_json = js_json(payload)
        self.problems_json = js_json(problems)
        self.labels_json = js_json(labels)
        self.styles_json = js_json(style_table())
        self.show_json = js_json({"hotspots": show_hotspots, "heat": heat, "cluster": cluster})
        self.default_js = [*(HEAT_JS if heat else []), *(CLUSTER_JS if cluster else []),
                           script("hs_html_text"), script("hs_hotspot_layer")]
        self.default_css = list(CLUSTER_CSS) if cluster else []


class FitView(RawMacroElement):
    """Open the map on bounds ``(minx, miny, maxx, maxy)``, or on ``center`` at ``zoom``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {% if this.bounds %}{{ this.map_name() }}.fitBounds({{ this.bounds }});
        {% else %}{{ this.map_name() }}.setView({{ this.center }}, {{ this.zoom }});{% endif %}
        {% endmacro %}
    """)

    def __init__(self, *, bounds: Sequence[float] | None = None, center: Sequence[float] = CENTER,
                 zoom: int = ZOOM) -> None:
        super().__init__()
        self._name = "FitView"
        corners = [[float(bounds[1]), float(bounds[0])], [float(bounds[3]), float(bounds[2])]] if bounds is not None else None
        self.bounds = json.dumps(corners) if corners is not None else ""  # numbers only
        self.center = js_json([float(v) for v in center])
        self.zoom = int(zoom)


class OverlayHost(JSCSSMixin, RawMacroElement):
    """Name a map as the host of an overlay sent apart (:mod:`hotspots.maps.overlay`) and load its scripts.

    The map's frame gets ``window.hsOverlayHost``, which ``static/components/map-overlay.js``
    looks for; ``js`` and ``css`` are the ``default_js`` / ``default_css`` entries the overlay's
    elements need, so they are loaded with the map, before the overlay is drawn.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.hsOverlayHost = {{ this.host_json }};
        {% endmacro %}
    """)

    def __init__(self, host: str, *, js: Sequence[tuple[str, str]] = (), css: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self._name = "OverlayHost"
        self.host_json = js_json(host)
        self.default_js = list(js)
        self.default_css = list(css)
