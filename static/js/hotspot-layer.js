/*
 * The hotspot layer of the Elbasan hotspot map (hotspots/maps/elements.py, class HotspotLayer).
 *
 * All hotspots are ONE layer built in the browser from a compact payload (see
 * hotspots.maps.builders.hotspot_payload): points are canvas markers (a circle for crime, a diamond
 * for street children), streets lines and zones polygons, each styled from the style table
 * (hotspots.maps.builders.style_table). Every text from the database arrives as JSON data and goes
 * through esc() before it becomes HTML (popups, tooltips).
 *
 * Loaded by the map from /app/static/js/ (Streamlit's static serving, as Leaflet is);
 * Leaflet is needed only when add() runs, so node can load this file for its unit tests
 * (tests/js/). Plain ES5: no build step.
 */
(function (root, factory) {
    'use strict';
    var api = factory();
    if (typeof module === 'object' && module.exports) { module.exports = api; }
    if (root) { root.HotspotLayer = api; }
}(typeof window !== 'undefined' ? window : null, function () {
    'use strict';

    /** Return the page's global object (window; read at call time, so tests can provide one). */
    function page() { return typeof window !== 'undefined' ? window : {}; }

    /** Return s as HTML text, by the one rule of static/js/html-text.js (loaded before this file). */
    function esc(s) {
        var text = typeof module === 'object' && module.exports ? require('./html-text.js') : page().HtmlText;
        return text.esc(s);
    }

    /** Return the Leaflet path options of hotspot i (category, grade and status from the style table). */
    function style(D, styles, i) {
        var st = styles[D.cat[i]][D.q[i]][D.st[i]], out = {radius: 7}, k;
        for (k in st) { if (Object.prototype.hasOwnProperty.call(st, k)) { out[k] = st[k]; } }
        return out;
    }

    /** Return the tooltip HTML of hotspot i: its stable id, then its name. */
    function tooltip(D, i) {
        return esc(D.id[i]) + ' · ' + esc(D.name[i]);
    }

    /**
     * Return the popup HTML of hotspot i: name, id, unit, period, incident counts (D.inc,
     * optional), status, grade, source, and the plan's problem with its priority,
     * activities and institutions (P, by problem id). L10N holds the translated labels.
     */
    function popup(D, P, L10N, i) {
        var pid = D.problems[D.problem[i]];
        var p = P[pid] || {title: '', priority: '', activities: [], institutions: []};
        var acts = p.activities.map(function (a) { return '<li>' + esc(a) + '</li>'; }).join('');
        var inst = p.institutions.map(esc).join('; ');
        return '<div class="hs-popup">'
            + '<b>' + esc(D.name[i]) + '</b><br>'
            + esc(L10N.pp_id) + ': ' + esc(D.id[i]) + '<br>'
            + esc(L10N.pp_unit) + ': ' + esc(D.unit[i] ? D.unit[i] : L10N.no_unit) + '<br>'
            + esc(L10N.pp_period) + ': ' + esc(D.periods[D.period[i]]) + '<br>'
            + (D.inc && D.inc[i] ? esc(L10N.pp_incidents) + ': ' + esc(D.inc[i]) + '<br>' : '')
            + esc(L10N.pp_status) + ': ' + esc(L10N.status[D.st[i]]) + '<br>'
            + esc(L10N.pp_quality) + ': ' + esc(L10N.quality[D.q[i]]) + '<br>'
            + esc(L10N.pp_source) + ': <i>' + esc(D.sources[D.src[i]]) + '</i><br>'
            + esc(L10N.pp_problem) + ': ' + esc(pid) + ' ' + esc(p.title) + '<br>'
            + esc(L10N.pp_priority) + ': ' + esc(p.priority) + '<br>'
            + esc(L10N.pp_activities) + ':<ol>' + acts + '</ol>'
            + esc(L10N.pp_institutions) + ': ' + inst + '</div>';
    }

    var Diamond = null;

    /** Return the canvas diamond marker class (made once, when Leaflet is there). */
    function diamondClass(L) {
        if (Diamond === null) {
            Diamond = L.CircleMarker.extend({
                _updatePath: function () {
                    var r = this._renderer;
                    if (!r._ctx || !r._drawing || this._empty()) { return L.CircleMarker.prototype._updatePath.call(this); }
                    var p = this._point, s = this._radius * 1.25, ctx = r._ctx;
                    ctx.beginPath();
                    ctx.moveTo(p.x, p.y - s); ctx.lineTo(p.x + s, p.y); ctx.lineTo(p.x, p.y + s); ctx.lineTo(p.x - s, p.y);
                    ctx.closePath();
                    r._fillStroke(ctx, this);
                }
            });
        }
        return Diamond;
    }

    /** Popups fit the map (a phone's too) and pan clear of the zoom control and the notes. */
    function popupOptions(map) {
        var size = map.getSize();
        return {maxWidth: Math.max(180, Math.min(300, size.x - 100)),
                maxHeight: Math.max(160, Math.min(360, size.y - 150)),
                autoPanPaddingTopLeft: [50, 20], autoPanPaddingBottomRight: [20, 50]};
    }

    /** Return the Leaflet layer of hotspot i and the [lat, lng] its heat point sits at. */
    function hotspotLayer(L, D, styles, shape, i) {
        var st = style(D, styles, i), layer, ll;
        if (shape === undefined) {
            ll = [D.xy[2 * i + 1], D.xy[2 * i]];
            layer = D.cat[i] === 1 ? new (diamondClass(L))(ll, st) : L.circleMarker(ll, st);
            return {layer: layer, at: ll};
        }
        layer = L.GeoJSON.geometryToLayer({type: 'Feature', properties: {}, geometry: {type: shape[1], coordinates: shape[2]}});
        layer.setStyle(st);
        var c = layer.getBounds().getCenter();
        return {layer: layer, at: [c.lat, c.lng]};
    }

    /** Put the points on the target (the map or a feature group on it), clustered when asked. */
    function addPoints(L, map, target, points, cluster) {
        if (cluster && L.markerClusterGroup) {
            // without tiles the map has no maxZoom, which markercluster needs
            if (!isFinite(map.getMaxZoom())) { map.options.maxZoom = 19; }
            var group = L.markerClusterGroup({disableClusteringAtZoom: 17, chunkedLoading: true});
            group.addLayers(points.getLayers());
            group.addTo(target);
        } else {
            points.addTo(target);
        }
    }

    /**
     * Draw the hotspots of payload D on target: the map, or a feature group on it that a
     * filter change replaces (the map page sends only that group again, not the map).
     *
     * options: map (the Leaflet map; default target), problems (P, by problem id), labels
     * (L10N), styles (the style table), show ({hotspots, heat, cluster}). Sets
     * window.hotspotLayer = {points, shapes, count, byId} (the browser tests and the page
     * read it) and returns it.
     */
    function add(target, D, options) {
        var w = page(), L = w.L, show = options.show, map = options.map || target, popupOpts = popupOptions(map);
        var points = L.featureGroup(), shapes = L.featureGroup(), heat = [], byId = {}, shapeOf = {};
        D.shapes.forEach(function (s) { shapeOf[s[0]] = s; });
        for (var i = 0; i < D.id.length; i++) {
            var s = shapeOf[i], made = hotspotLayer(L, D, options.styles, s, i), layer = made.layer;
            heat.push([made.at[0], made.at[1], 1]);
            layer.bindTooltip(tooltip(D, i));
            layer.bindPopup(popup.bind(null, D, options.problems, options.labels, i), popupOpts);
            layer.hotspotId = D.id[i];
            byId[D.id[i]] = layer;
            (s === undefined ? points : shapes).addLayer(layer);
        }
        if (show.heat && L.heatLayer) { L.heatLayer(heat, {radius: 30, blur: 20, maxZoom: 17}).addTo(target); }
        if (show.hotspots) {
            shapes.addTo(target);
            addPoints(L, map, target, points, show.cluster);
        }
        w.hotspotLayer = {points: points, shapes: shapes, count: D.id.length, byId: byId};
        return w.hotspotLayer;
    }

    return {esc: esc, style: style, tooltip: tooltip, popup: popup, add: add};
}));
