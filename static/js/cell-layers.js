/*
 * Incident and cell layers of the map (hotspots/incidents/maps.py;
 * hotspots/evidence/gi_maps.py): incidents as canvas points from compact binary columns, the public ~250 m cells
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
     * Return the index of the point of (xs, ys) nearest to (px, py) within r pixels, or -1.
     * One pass over the typed arrays: 100,000 points take well under a millisecond.
     */
    function nearest(xs, ys, px, py, r) {
        var best = -1, bestD = r * r;
        for (var i = 0; i < xs.length; i++) {
            var dx = xs[i] - px, dy = ys[i] - py, d = dx * dx + dy * dy;
            if (d <= bestD) { best = i; bestD = d; }
        }
        return best;
    }

    /** Return the indexes 0..n-1 ordered by their offence code (one canvas path per colour). */
    function byOffence(o) {
        var order = new Uint32Array(o.length);
        for (var i = 0; i < o.length; i++) { order[i] = i; }
        return Array.prototype.slice.call(order).sort(function (a, b) { return o[a] - o[b] || a - b; });
    }

    /** Return the Leaflet layer class drawing every incident on one canvas (made when Leaflet is there). */
    function canvasClass(L) {
        return L.Layer.extend({
            initialize: function (wx, wy, o, colours, tip) {
                this._wx = wx; this._wy = wy; this._o = o; this._colours = colours; this._tipText = tip;
                this._order = byOffence(o); this._x = new Float32Array(wx.length); this._y = new Float32Array(wx.length);
            },
            onAdd: function (map) {
                this._map = map;
                this._canvas = L.DomUtil.create('canvas', 'leaflet-zoom-hide hs-incident-canvas');
                this._canvas.style.pointerEvents = 'none';
                map.getPane('overlayPane').appendChild(this._canvas);
                map.on('moveend zoomend resize viewreset', this._draw, this);
                map.on('mousemove', this._hover, this);
                this._draw();
            },
            onRemove: function (map) {
                L.DomUtil.remove(this._canvas);
                map.off('moveend zoomend resize viewreset', this._draw, this);
                map.off('mousemove', this._hover, this);
                if (this._tip) { map.closeTooltip(this._tip); }
            },
            _draw: function () {
                var map = this._map, size = map.getSize(), pad = 0.5, c = this._canvas, ratio = window.devicePixelRatio || 1;
                var w = size.x * (1 + 2 * pad), h = size.y * (1 + 2 * pad), shift = L.point(size.x * pad, size.y * pad);
                L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]).subtract(shift));
                c.width = w * ratio; c.height = h * ratio; c.style.width = w + 'px'; c.style.height = h + 'px';
                var ctx = c.getContext('2d'), scale = Math.pow(2, map.getZoom());
                var origin = map.project(map.containerPointToLatLng([0, 0]), 0).multiplyBy(scale).subtract(shift);
                ctx.scale(ratio, ratio);
                ctx.lineWidth = 1; ctx.strokeStyle = '#222';
                var order = this._order, o = this._o, k = 0;
                while (k < order.length) {  // one path per offence colour
                    var code = o[order[k]];
                    ctx.beginPath();
                    for (; k < order.length && o[order[k]] === code; k++) {
                        var i = order[k], x = this._wx[i] * scale - origin.x, y = this._wy[i] * scale - origin.y;
                        this._x[i] = x - shift.x; this._y[i] = y - shift.y;  // container pixels, for the hover
                        if (x < -5 || y < -5 || x > w + 5 || y > h + 5) { continue; }
                        ctx.moveTo(x + 4, y); ctx.arc(x, y, 4, 0, 2 * Math.PI);
                    }
                    ctx.globalAlpha = 0.8; ctx.fillStyle = this._colours[code]; ctx.fill();
                    ctx.globalAlpha = 1; ctx.stroke();
                }
            },
            _hover: function (e) {
                var i = nearest(this._x, this._y, e.containerPoint.x, e.containerPoint.y, 5);
                if (i === this._hovered) { return; }
                this._hovered = i;
                if (i < 0) { if (this._tip) { this._map.closeTooltip(this._tip); } return; }
                this._tip = this._tip || L.tooltip();
                this._tip.setLatLng(this._map.unproject([this._wx[i], this._wy[i]], 0)).setContent(this._tipText(i));
                this._map.openTooltip(this._tip);
            }
        });
    }

    /**
     * Draw incidents as circles on one canvas. D: {scale, kind, lat0, lon0, lat, lon, o, dk, d, dates}
     * (base64 coordinates in 1/scale degrees less lat0/lon0, uint16 or int32 by kind; uint8
     * offence and uint16/int32 (dk) date indexes); offences and colours
     * are indexed by o. One layer draws them all (no Leaflet object per incident); the tooltip
     * "offence · date" of the point under the mouse is built when it is hovered. Sets
     * window.incidentLayer.
     */
    function incidentPoints(map, D, offences, colours) {
        var w = page(), L = w.L;
        var T = D.kind === 'i4' ? Int32Array : Uint16Array;
        var lat = column(D.lat, T), lon = column(D.lon, T);
        var o = column(D.o, Uint8Array), d = column(D.d, D.dk === 'i4' ? Int32Array : Uint16Array);
        var wx = new Float64Array(lat.length), wy = new Float64Array(lat.length);
        for (var i = 0; i < lat.length; i++) {  // world pixels at zoom 0, projected once
            var p = map.project([(D.lat0 + lat[i]) / D.scale, (D.lon0 + lon[i]) / D.scale], 0);
            wx[i] = p.x; wy[i] = p.y;
        }
        var tip = function (k) { return esc(offences[o[k]]) + ' · ' + esc(D.dates[d[k]]); };
        var layer = new (canvasClass(L))(wx, wy, o, colours, tip);
        layer.addTo(map);
        w.incidentLayer = {kind: 'points', count: lat.length, layer: layer, tooltip: tip};
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

    return {esc: esc, column: column, nearest: nearest, byOffence: byOffence, incidentPoints: incidentPoints, cellColour: cellColour, incidentCells: incidentCells,
            cellTooltip: cellTooltip, labelledCells: labelledCells};
}));
