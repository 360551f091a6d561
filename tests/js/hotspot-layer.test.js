// Unit tests of static/js/hotspot-layer.js, run by node's own test runner (`node --test tests/js/`,
// driven from tests/test_js.py). No browser and no npm package: the pure parts (esc, popup,
// tooltip, style) are called directly; add() gets a tiny stand-in for Leaflet that records calls.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const H = require(path.join(__dirname, '..', '..', 'static', 'js', 'hotspot-layer.js'));

const HOSTILE = "<img src=x onerror=alert(1)> `tick` \\back\\ \"dq\" 'sq' </script><script>alert(2)</script>";
const TAGS = /<\/?(div|b|br|i|ol|li)( class="hs-popup")?>/g;

function payload(name, extra) {
    return Object.assign({
        id: ['H-1'], name: [name], cat: [0], q: [2], st: [0], unit: [3],
        problem: [0], problems: ['1.7'], src: [0], sources: [name], period: [0], periods: ['2022-H1'],
        xy: [20.08, 41.11], shapes: []
    }, extra || {});
}
const LABELS = {pp_id: 'ID', pp_unit: 'Unit', pp_period: 'Period', pp_status: 'Status', pp_quality: 'Location',
    pp_source: 'Source', pp_problem: 'Problem', pp_priority: 'Priority', pp_activities: 'Activities',
    pp_institutions: 'Institutions', pp_incidents: 'Incidents', no_unit: 'no unit',
    cat: ['Crime', 'Street children'], quality: ['exact', 'landmark', 'approximate'], status: ['active', 'resolved', 'removed']};
const PROBLEMS = {'1.7': {title: 'Drugs <b>', priority: 'High', activities: ['1.7.1 ' + HOSTILE], institutions: [HOSTILE, 'Police']}};

test('esc turns every HTML-special character into an entity', () => {
    assert.equal(H.esc('<script>'), '&lt;script&gt;');
    assert.equal(H.esc('"'), '&quot;');
    assert.equal(H.esc("'"), '&#39;');
    assert.equal(H.esc('&'), '&amp;');
    assert.equal(H.esc('`'), '&#96;');
    assert.equal(H.esc('\\'), '&#92;');
    assert.equal(H.esc('&lt;'), '&amp;lt;');  // escaped once more, never trusted as an entity
    assert.equal(H.esc('Rruga "Qemal Stafa" ë ç'), 'Rruga &quot;Qemal Stafa&quot; ë ç');
});

test('esc gives empty text for null and undefined, and text for numbers', () => {
    assert.equal(H.esc(null), '');
    assert.equal(H.esc(undefined), '');
    assert.equal(H.esc(0), '0');
    assert.equal(H.esc(3), '3');
});

test('a hostile name, source, activity and institution never open a tag in the popup', () => {
    const html = H.popup(payload(HOSTILE), PROBLEMS, LABELS, 0);
    assert.ok(!html.replace(TAGS, '').includes('<'), html);
    assert.ok(!/[`\\]/.test(html), html);
    assert.ok(html.startsWith('<div class="hs-popup"><b>&lt;img src=x onerror=alert(1)&gt; &#96;tick&#96;'));
    assert.ok(html.includes('Drugs &lt;b&gt;'));
    assert.equal((html.match(/<li>/g) || []).length, 1);
});

test('the popup shows the unit, or "no unit" for unit 0, and the incident counts only when given', () => {
    const plain = H.popup(payload('A'), PROBLEMS, LABELS, 0);
    assert.ok(plain.includes('Unit: 3<br>') && !plain.includes('Incidents'));
    const none = H.popup(payload('A', {unit: [0]}), PROBLEMS, LABELS, 0);
    assert.ok(none.includes('Unit: no unit<br>'));
    const counted = H.popup(payload('A', {inc: ['12 in 2023-H2 <x>']}), PROBLEMS, LABELS, 0);
    assert.ok(counted.includes('Incidents: 12 in 2023-H2 &lt;x&gt;<br>'));
});

test('a problem missing from the plan gives an empty problem block, not an error', () => {
    const html = H.popup(payload('A'), {}, LABELS, 0);
    assert.ok(html.includes('Problem: 1.7 <br>') && html.includes('Activities:<ol></ol>'));
});

test('the tooltip starts with the stable id and escapes both texts', () => {
    assert.equal(H.tooltip(payload(HOSTILE, {id: ['H-<1>']}), 0).split(' · ')[0], 'H-&lt;1&gt;');
    assert.ok(!H.tooltip(payload(HOSTILE), 0).includes('<'));
});

test('style takes the style table entry of the category, grade and status, with the point radius', () => {
    const styles = [[[{color: 'a'}, {color: 'b'}]], [[{color: 'c'}, {color: 'd', dashArray: '6 4'}]]];
    const D = {cat: [1], q: [0], st: [1]};
    assert.deepEqual(H.style(D, styles, 0), {radius: 7, color: 'd', dashArray: '6 4'});
    assert.deepEqual(styles[1][0][1], {color: 'd', dashArray: '6 4'});  // the table is not changed
});

// A stand-in for Leaflet: records what add() asks of it, in order.
function fakeLeaflet(log) {
    function layer(kind) {
        return {kind: kind, bindTooltip: function (t) { this.tooltip = t; return this; },
                bindPopup: function (p) { this.popup = p; return this; }};
    }
    function group(kind) {
        const layers = [];
        return {addLayer: function (l) { layers.push(l); }, getLayers: function () { return layers; },
                addLayers: function (ls) { layers.push.apply(layers, ls); },
                addTo: function (t) { log.push(kind + '.addTo(' + ((t && t.name) || 'map') + ')'); return this; }};
    }
    return {
        featureGroup: function () { return group('featureGroup'); },
        circleMarker: function () { return layer('circle'); },
        CircleMarker: {extend: function () { return function () { return layer('diamond'); }; }},
        markerClusterGroup: function () { log.push('markerClusterGroup maxZoom=' + map.options.maxZoom); return group('cluster'); }
    };
}
const map = {options: {}, getSize: () => ({x: 800, y: 600}), getMaxZoom: () => (map.options.maxZoom === undefined ? Infinity : map.options.maxZoom)};

test('add() draws one layer per hotspot and, without tiles, sets maxZoom before making the cluster', () => {
    const log = [];
    global.window = {L: fakeLeaflet(log)};
    try {
        const D = payload('A', {id: ['H-1', 'H-2'], name: ['A', 'B'], cat: [0, 1], q: [0, 0], st: [0, 0],
                                unit: [1, 2], problem: [0, 0], src: [0, 0], period: [0, 0], xy: [20, 41, 20.1, 41.1]});
        const styles = [[[{}]], [[{}]]];
        const out = H.add(map, D, {problems: PROBLEMS, labels: LABELS, styles: styles,
                                   show: {hotspots: true, heat: false, cluster: true}});
        assert.equal(out.count, 2);
        assert.deepEqual(Object.keys(out.byId), ['H-1', 'H-2']);
        assert.equal(out.byId['H-2'].kind, 'diamond');  // street children
        assert.equal(out.byId['H-1'].tooltip, 'H-1 · A');
        assert.ok(out.byId['H-1'].popup().startsWith('<div class="hs-popup"><b>A</b>'));  // built when opened
        assert.deepEqual(log, ['featureGroup.addTo(map)', 'markerClusterGroup maxZoom=19', 'cluster.addTo(map)']);
        assert.equal(global.window.hotspotLayer, out);
    } finally {
        delete global.window;
    }
});

test('add() into a feature group: layers go to the group, popups and cluster read the map', () => {
    const log = [];
    global.window = {L: fakeLeaflet(log)};
    try {
        const D = payload('A', {id: ['H-1'], name: ['A'], cat: [0], q: [0], st: [0], unit: [1], problem: [0],
                                src: [0], period: [0], xy: [20, 41]});
        const fg = {name: 'fg', addLayer: () => {}};
        const out = H.add(fg, D, {map: map, problems: PROBLEMS, labels: LABELS, styles: [[[{}]], [[{}]]],
                                  show: {hotspots: true, heat: false, cluster: false}});
        assert.equal(out.count, 1);
        assert.deepEqual(log, ['featureGroup.addTo(fg)', 'featureGroup.addTo(fg)']);
    } finally {
        delete global.window;
    }
});

test('each script defines only its one global, in strict mode', () => {
    const fs = require('node:fs');
    const vm = require('node:vm');
    const dir = path.join(__dirname, '..', '..', 'static', 'js');
    const expected = {'html-text.js': 'HtmlText', 'hotspot-layer.js': 'HotspotLayer', 'map-controls.js': 'MapControls', 'cell-layers.js': 'CellLayers',
                      'coverage-layer.js': 'CoverageLayer'};
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort(), Object.keys(expected).sort());
    for (const [file, name] of Object.entries(expected)) {
        const src = fs.readFileSync(path.join(dir, file), 'utf8');
        const sandbox = {window: {}};
        sandbox.window.window = sandbox.window;
        vm.runInNewContext(src, sandbox, {filename: file});
        assert.deepEqual(Object.keys(sandbox), ['window'], file);
        assert.deepEqual(Object.keys(sandbox.window).filter((k) => k !== 'window'), [name], file);
        assert.match(src, /^\s*'use strict';$/m, file);
    }
});
