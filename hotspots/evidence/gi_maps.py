"""Gi* hot-spot cells and emerging hot-spot cells on a folium map, each with its own legend.

Pure builders: they add a layer and a legend to a ``folium.Map`` and never call Streamlit.
Cells carry only their label and z-score (no incident count), so they are aggregates any
logged-in role may see; cells with no significant result are not drawn.
"""

from __future__ import annotations

import html
import json

import folium
import geopandas as gpd
from folium.elements import JSCSSMixin
from jinja2 import Template

from hotspots.base.i18n import t
from hotspots.base.labels import EHSA_CLASS, EHSA_STEP, GI_CLASS, label
from hotspots.evidence import emerging as ehsa
from hotspots.evidence import hotspot_detection as gi
from hotspots.maps.elements import MapControl, RawMacroElement
from hotspots.maps.scripts import script
from hotspots.maps.styles import js_json


class CellLayer(JSCSSMixin, RawMacroElement):
    """Square cells coloured by label, with a tooltip (label, z).

    Drawn by ``CellLayers.labelledCells`` of ``static/js/cell-layers.js``.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var data = {{ this.geojson }}, colours = {{ this.colours_json }}, names = {{ this.names_json }};
            CellLayers.labelledCells({{ this._parent.get_name() }}, data, colours, names, {{ this.handle_json }});
        })();
        {% endmacro %}
    """)

    def __init__(self, cells: gpd.GeoDataFrame, colours: dict[str, str], names: dict[str, str], handle: str) -> None:
        super().__init__()
        self._name = "CellLayer"
        text = cells.to_json(drop_id=True)
        self.geojson = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        self.colours_json = js_json(colours)
        self.names_json = js_json(names)
        self.handle_json = json.dumps(handle)
        self.default_js = [script("hs_html_text"), script("hs_cell_layers")]


def _legend(title: str, colours: dict[str, str], names: dict[str, str], shown: list[str]) -> str:
    rows = "".join(f'<div><span style="display:inline-block;width:12px;height:12px;background:{colours[k]};'
                   f'border:1px solid #555;margin-right:4px"></span>{html.escape(names[k])}</div>' for k in shown)
    return f"<b>{html.escape(title)}</b>{rows}"


def _p_text(p: float) -> str:
    """Return a p-value for a tooltip: three decimals, or "< 0.001"."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def add_gi_layer(m: folium.Map, det: gi.Detection, lang: str) -> int:
    """Add the significant Gi* cells and their legend; return how many cells were drawn."""
    frame = det.frame()
    cells = frame.loc[frame["label"] != "not_significant", ["label", "z", "p_fdr", "geometry"]]
    cells = cells.assign(z=cells["z"].round(2), p=[_p_text(v) for v in cells["p_fdr"]]).drop(columns="p_fdr")
    names = {lab: label(GI_CLASS, lab, lang) for lab in gi.LABELS} | {"p_fdr": t("gi_tooltip_p_fdr", lang)}
    CellLayer(cells, gi.COLOURS, names, "giLayer").add_to(m)
    title = t("gi_legend_title", lang, period=det.period or "", cell=f"{det.grid.size:g}")
    MapControl(_legend(title, gi.COLOURS, names, [lab for lab in gi.LABELS if lab != "not_significant"]),
               position="topright", css_class="hs-legend hs-gi-legend").add_to(m)
    return len(cells)


def add_emerging_layer(m: folium.Map, result: ehsa.Emerging, lang: str) -> int:
    """Add the cells with an emerging hot-spot label and their legend; return how many were drawn."""
    frame = result.frame()
    cells = frame.loc[frame["label"] != "no_pattern", ["label", "geometry"]]
    names = {lab: label(EHSA_CLASS, lab, lang) for lab in ehsa.LABELS}
    CellLayer(cells, ehsa.COLOURS, names, "ehsaLayer").add_to(m)
    shown = [lab for lab in ehsa.LABELS if lab in set(cells["label"])]
    title = t("ehsa_legend_title", lang, step=label(EHSA_STEP, result.cube.step, lang))
    MapControl(_legend(title, ehsa.COLOURS, names, shown), position="topright",
               css_class="hs-legend hs-ehsa-legend").add_to(m)
    return len(cells)
