/*
 * Text into HTML for the map's scripts: the one rule every popup and tooltip uses
 * (HotspotLayer, CellLayers). Hotspot names, notes, sources, offence labels: whatever comes
 * from the database or an uploaded file goes through esc() before it becomes HTML.
 *
 * Loaded from /app/static/js/ before the layers that use it; node loads it with require()
 * for the unit tests (tests/js/). Plain ES5: no build step.
 */
(function (root, factory) {
    'use strict';
    var api = factory();
    if (typeof module === 'object' && module.exports) { module.exports = api; }
    if (root) { root.HtmlText = api; }
}(typeof window !== 'undefined' ? window : null, function () {
    'use strict';

    var ENTITIES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '\\': '&#92;'};

    /** Return s as HTML text: & < > " ' ` and \ become entities; null/undefined become ''. */
    function esc(s) {
        return String(s == null ? '' : s).replace(/[&<>"'`\\]/g, function (c) { return ENTITIES[c]; });
    }

    return {esc: esc};
}));
