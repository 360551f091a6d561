/*
 * The coverage layer of the map page (hotspots/places/maps.py, class CoverageLayer): each hot
 * zone coloured by the share of it the working cameras see.
 *
 * A point's zone is a disc of its grade's radius, drawn by Leaflet as a circle in metres
 * (centre and radius travel, not a polygon of 257 vertices); streets and areas come as
 * rounded GeoJSON geometries. Built in the browser from one compact payload, the first time
 * the layer is switched on (it is off at first); every text goes through esc().
 *
 * Loaded from /app/static/js/ after html-text.js; node loads it for the unit tests
 * (tests/js/). Plain ES5: no build step.
 */
(function (root, factory) {
    'use strict';
    var api = factory();
    if (typeof module === 'object' && module.exports) { module.exports = api; }
    if (root) { root.CoverageLayer = api; }
}(typeof window !== 'undefined' ? window : null, function () {
    'use strict';

    function page() { return typeof window !== 'undefined' ? window : {}; }

    /** Return s as HTML text, by the one rule of static/js/html-text.js. */
    function esc(s) {
        var text = typeof module === 'object' && module.exports ? require('./html-text.js') : page().HtmlText;
        return text.esc(s);
    }

    /** Return the tooltip HTML of zone i: id · name · class share %. */
    function tooltip(D, classes, i) {
        return esc(D.id[i]) + ' · ' + esc(D.name[i]) + ' · ' + esc(classes[D.cls[i]]) + ' ' + esc(D.share[i]) + '%';
    }

    /** Return the Leaflet path options of zone i (its class colour, dashed). */
    function style(colours, D, i) {
        var c = colours[D.cls[i]];
        return {color: c, weight: 3, fillColor: c, fillOpacity: 0.25, dashArray: '5 4'};
    }

    /** Add the zones of payload D to the feature group (once, when it is first on a map). */
    function add(group, D, options) {
        var L = page().L, built = false, shapeOf = {};
        D.shapes.forEach(function (s) { shapeOf[s[0]] = s; });
        function build() {
            if (built) { return; }
            built = true;
            for (var i = 0; i < D.id.length; i++) {
                var st = style(options.colours, D, i), s = shapeOf[i], layer;
                if (s === undefined) {
                    layer = L.circle([D.xy[2 * i + 1], D.xy[2 * i]], Object.assign({radius: D.r[i]}, st));
                } else {
                    layer = L.GeoJSON.geometryToLayer({type: 'Feature', properties: {}, geometry: {type: s[1], coordinates: s[2]}});
                    layer.setStyle(st);
                }
                layer.bindTooltip(tooltip(D, options.classes, i));
                group.addLayer(layer);
            }
        }
        if (group._map) { build(); } else { group.once('add', build); }
        return {count: D.id.length, build: build};
    }

    return {esc: esc, tooltip: tooltip, style: style, add: add};
}));
