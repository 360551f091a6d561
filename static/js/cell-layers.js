/*
 * Incident and cell layers of the map (hotspots/incident_maps.py, issue 13; hotspots/gi_maps.py,
 * issue 14): incidents as canvas points from compact binary columns, the public ~250 m cells
 * with suppressed counts, and labelled analysis cells (Gi*, emerging hot spots).
 *
 * Loaded from /app/static/js/; Leaflet is needed only when a function runs, so node can
 * load this file for its unit tests (tests/js/). Plain ES5: no build step.
 */
(function (root, factory) {
    'use strict';
    var api = factory();
    if (typeof module === 'object' && module.exports) { module.exports = api; }
    if (root) { root.CellLayers = api; }
}(typeof window !== 'undefined' ? window : null, function () {
    'use strict';

    /** Return the page's global object (window; read at call time, so tests can provide one). */
    function page() { return typeof window !== 'undefined' ? window : {}; }

    /** Return s as HTML text, by the one rule of static/js/html-text.js (loaded before this file). */
    function esc(s) {
        var text = typeof module === 'object' && module.exports ? require('./html-text.js') : page().HtmlText;
        return text.esc(s);
    }

    /** Return a little-endian typed array (Int32Array, Uint8Array …) decoded from base64. */
    function column(b64, T) {
        var s = atob(b64), u = new Uint8Array(s.length);
        for (var k = 0; k < s.length; k++) { u[k] = s.charCodeAt(k); }
        return new T(u.buffer);
    }

    /**
     * Draw incidents as canvas circle markers. D: {scale, lat, lon, o, d, dates} (base64
     * int32 coordinates in 1/scale degrees, uint8 offence and int32 date indexes); offences
     * and colours are indexed by o. Sets window.incidentLayer.
     */
    function incidentPoints(map, D, offences, colours) {
        var w = page(), L = w.L;
        var lat = column(D.lat, Int32Array), lon = column(D.lon, Int32Array);
        var o = column(D.o, Uint8Array), d = column(D.d, Int32Array);
        var renderer = L.canvas({padding: 0.5}), layer = L.layerGroup();
        for (var i = 0; i < lat.length; i++) {
            L.circleMarker([lat[i] / D.scale, lon[i] / D.scale], {renderer: renderer, radius: 4, weight: 1, color: '#222',
                fillColor: colours[o[i]], fillOpacity: 0.8}).bindTooltip(esc(offences[o[i]]) + ' · ' + esc(D.dates[d[i]])).addTo(layer);
        }
        layer.addTo(map);
        w.incidentLayer = {kind: 'points', count: lat.length, layer: layer};
        return w.incidentLayer;
    }

    /** Return the fill of a public cell from its count text ("<5", "12" …). */
    function cellColour(c) {
        var n = parseInt(c, 10);
        return c.charAt(0) === '<' ? '#fee5d9' : n < 10 ? '#fcae91' : n < 20 ? '#fb6a4a' : '#cb181d';
    }

    /** Draw the public cells (GeoJSON with a text count per cell), tooltip "title: count". Sets window.incidentLayer. */
    function incidentCells(map, data, title) {
        var w = page(), layer = w.L.geoJSON(data, {
            style: function (f) { return {color: '#a50f15', weight: 1, fillColor: cellColour(f.properties.count), fillOpacity: 0.55}; },
            onEachFeature: function (f, l) { l.bindTooltip(esc(title) + ': ' + esc(f.properties.count)); }
        });
        layer.addTo(map);
        w.incidentLayer = {kind: 'cells', count: data.features.length, layer: layer};
        return w.incidentLayer;
    }

    /**
     * Return the tooltip of a labelled cell: its label's name, then its z-score when it has one, then the
     * false-discovery-adjusted p its label follows when it has one (named by names.p_fdr).
     */
    function cellTooltip(names, properties) {
        return esc(names[properties.label]) + (properties.z === undefined ? '' : ' · z = ' + esc(properties.z)) +
            (properties.p === undefined ? '' : ' · ' + esc(names.p_fdr || 'p') + ' = ' + esc(properties.p));
    }

    /** Draw labelled square cells (Gi*, emerging) coloured by label; sets window[handle] = {count, layer}. */
    function labelledCells(map, data, colours, names, handle) {
        var w = page(), layer = w.L.geoJSON(data, {
            style: function (f) { return {color: '#555', weight: 0.5, fillColor: colours[f.properties.label], fillOpacity: 0.6}; },
            onEachFeature: function (f, l) { l.bindTooltip(cellTooltip(names, f.properties)); }
        });
        layer.addTo(map);
        w[handle] = {count: data.features.length, layer: layer};
        return w[handle];
    }

    return {esc: esc, column: column, incidentPoints: incidentPoints, cellColour: cellColour, incidentCells: incidentCells,
            cellTooltip: cellTooltip, labelledCells: labelledCells};
}));
