/*
 * The map's own controls and labels (hotspots/maps/elements.py and hotspots/places/maps.py):
 * text labels at points, HTML boxes in a corner (legend, notes), the narrow-map layout,
 * and the shared legend box of the switchable place layers.
 *
 * Texts of labels are set with textContent (never parsed as HTML); the HTML of boxes and
 * legends is built on the server from escaped text only. Loaded from /app/static/js/;
 * Leaflet is needed only when a function runs. Plain ES5: no build step.
 */
(function (root, factory) {
    'use strict';
    var api = factory();
    if (typeof module === 'object' && module.exports) { module.exports = api; }
    if (root) { root.MapControls = api; }
}(typeof window !== 'undefined' ? window : null, function () {
    'use strict';

    /**
     * Add text labels at points: items are [lat, lon, text] or [lat, lon, text, key] (a keyed
     * label's text can be changed later, see shadeUnits). options: cssClass, anchor
     * ([x, y] of the icon), dots (a small grey dot under each label), minZoom (the layer
     * shows only from that zoom on; 0: always).
     */
    function labels(map, items, options) {
        var L = window.L, group = L.layerGroup();
        items.forEach(function (it) {
            var div = document.createElement('div');
            div.className = options.cssClass;
            div.textContent = it[2];
            if (it.length > 3) { map._hsLabels = map._hsLabels || {}; map._hsLabels[it[3]] = div; }
            if (options.dots) {
                L.circleMarker([it[0], it[1]], {radius: 3, color: '#555', weight: 1, fillColor: '#fff',
                                                fillOpacity: 1, interactive: false}).addTo(group);
            }
            L.marker([it[0], it[1]], {interactive: false, keyboard: false,
                icon: L.divIcon({html: div, className: '', iconSize: null, iconAnchor: options.anchor})}).addTo(group);
        });
        if (options.minZoom) {
            var toggle = function () { if (map.getZoom() >= options.minZoom) { group.addTo(map); } else { group.remove(); } };
            map.on('zoomend', toggle);
            toggle();
        } else {
            group.addTo(map);
        }
        return group;
    }

    /** Return the unit number of a layer of the units' GeoJSON (as text), or null for any other layer. */
    function unitOf(layer) {
        var p = layer.feature && layer.feature.properties;
        return p && p.unit !== undefined && p.unit !== null ? String(p.unit) : null;
    }

    /**
     * Shade the units and set their labels: shading.fills and shading.labels by unit number.
     * The colours are kept on the map, so a unit layer switched on again later gets them too.
     */
    function shadeUnits(map, shading) {
        function paint(layer) {
            var u = unitOf(layer), fill = u === null ? undefined : map._hsUnitFills[u];
            if (fill !== undefined && layer.setStyle) { layer.setStyle({fillColor: fill}); }
        }
        if (!map._hsUnitFills) { map.on('layeradd', function (e) { paint(e.layer); }); }
        map._hsUnitFills = shading.fills;
        map.eachLayer(paint);
        var byKey = map._hsLabels || {};
        Object.keys(shading.labels).forEach(function (k) { if (byKey[k]) { byKey[k].textContent = shading.labels[k]; } });
    }

    /** Add a box of (server-escaped) HTML in a corner of the map; options: position, cssClass. */
    function box(map, html, options) {
        var L = window.L, control = L.control({position: options.position});
        control.onAdd = function () {
            var div = L.DomUtil.create('div', 'hs-note ' + options.cssClass);
            div.innerHTML = html;
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        control.addTo(map);
        return control;
    }

    /**
     * On a small map (a staff picker beside its form, a phone): fold the legend, and again
     * when a popup opens; mark it hs-small (under 720 px) and hs-narrow (under 560 px).
     */
    function narrowLayout(map) {
        function narrow() { return map.getSize().x < 560; }
        function small() { return map.getSize().x < 720; }
        function fold() {
            document.querySelectorAll('.hs-legend-box').forEach(function (d) { d.open = false; });
        }
        var container = map.getContainer();
        if (small()) { container.classList.add('hs-small'); fold(); }
        if (narrow()) { container.classList.add('hs-narrow'); }
        map.on('popupopen', function () { if (small()) { fold(); } });
    }

    /** Return the one bottom-left box every place layer's legend shares (made on first use). */
    function placeLegendBox(map, maxShare) {
        var L = window.L;
        if (!map._hsPlaceLegends) {
            var control = L.control({position: 'bottomleft'});
            control.onAdd = function () {
                var div = L.DomUtil.create('div', 'hs-note hs-legend hs-place-legends');
                div.style.maxHeight = Math.round(map.getSize().y * maxShare) + 'px';
                div.style.overflowY = 'auto';
                L.DomEvent.disableScrollPropagation(div);
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            control.addTo(map);
            map._hsPlaceLegends = control.getContainer();
            map._hsPlaceLegends.style.display = 'none';
        }
        return map._hsPlaceLegends;
    }

    /**
     * Show a legend (server-escaped HTML) while its layer (group) is on the map. The legends
     * of all place layers share ONE box, at most maxShare of the map's height, scrolled inside.
     */
    function layerLegend(map, group, html, maxShare) {
        var holder = placeLegendBox(map, maxShare);
        var item = window.L.DomUtil.create('div', 'hs-place-legend');
        item.style.marginBottom = '4px';
        item.innerHTML = html;
        function refresh() { holder.style.display = holder.children.length ? '' : 'none'; }
        function show() { if (!item.parentNode) { holder.appendChild(item); } refresh(); }
        function hide() { if (item.parentNode) { holder.removeChild(item); } refresh(); }
        if (map.hasLayer(group)) { show(); }
        map.on('overlayadd', function (e) { if (e.layer === group) { show(); } });
        map.on('overlayremove', function (e) { if (e.layer === group) { hide(); } });
    }

    return {labels: labels, box: box, narrowLayout: narrowLayout, layerLegend: layerLegend, shadeUnits: shadeUnits,
            unitOf: unitOf};
}));
