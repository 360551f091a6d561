// Unit tests of static/js/cell-layers.js (node's test runner, driven from tests/test_js.py).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const C = require(path.join(__dirname, '..', '..', 'static', 'js', 'cell-layers.js'));

test('column decodes little-endian int32 and uint8 columns from base64', () => {
    const ints = Buffer.alloc(8);
    ints.writeInt32LE(4110000, 0);
    ints.writeInt32LE(-5, 4);
    assert.deepEqual(Array.from(C.column(ints.toString('base64'), Int32Array)), [4110000, -5]);
    assert.deepEqual(Array.from(C.column(Buffer.from([0, 7, 255]).toString('base64'), Uint8Array)), [0, 7, 255]);
});

test('public cells are shaded by their count text, "<5" the lightest', () => {
    assert.equal(C.cellColour('<5'), '#fee5d9');
    assert.equal(C.cellColour('5'), '#fcae91');
    assert.equal(C.cellColour('19'), '#fb6a4a');
    assert.equal(C.cellColour('20'), '#cb181d');
});

test('a labelled cell tooltip names its label and adds z only when the cell has one', () => {
    const names = {hot_99: 'Hot spot, 99 %'};
    assert.equal(C.cellTooltip(names, {label: 'hot_99', z: 3.1}), 'Hot spot, 99 % · z = 3.1');
    assert.equal(C.cellTooltip(names, {label: 'hot_99'}), 'Hot spot, 99 %');
    const withP = {hot_95: 'Hot spot, 95 %', p_fdr: 'p after FDR'};
    assert.equal(C.cellTooltip(withP, {label: 'hot_95', z: 3.47, p: '0.021'}), 'Hot spot, 95 % · z = 3.47 · p after FDR = 0.021');
});

test('tooltips are HTML text: offence labels (from a mapping file), titles and cell names are escaped', () => {
    const hostile = '<img src=x onerror=alert(1)>"\'`\\&';
    assert.equal(C.esc(hostile), '&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&#96;&#92;&amp;');
    assert.equal(C.cellTooltip({hot_99: hostile}, {label: 'hot_99', z: 3.1}), C.esc(hostile) + ' · z = 3.1');
    const bound = [];
    const L = {
        geoJSON: (data, opts) => {
            data.features.forEach((f) => opts.onEachFeature(f, {bindTooltip: (t) => bound.push(t)}));
            return {addTo: () => null};
        },
    };
    global.window = {L: L};
    try {
        C.incidentCells({}, {features: [{properties: {count: '<5'}}]}, hostile);
    } finally {
        delete global.window;
    }
    assert.deepEqual(bound, [C.esc(hostile) + ': &lt;5']);
    assert.ok(!bound[0].includes('<img'));
});

test('the point under the mouse is the nearest within the radius, none farther', () => {
    const xs = new Float32Array([10, 20, 100]), ys = new Float32Array([10, 20, 100]);
    assert.equal(C.nearest(xs, ys, 19, 19, 5), 1);
    assert.equal(C.nearest(xs, ys, 11, 10, 5), 0);
    assert.equal(C.nearest(xs, ys, 60, 60, 5), -1);
});

test('incidents are drawn one path per offence colour: indexes ordered by offence, stable within one', () => {
    assert.deepEqual(C.byOffence(new Uint8Array([2, 0, 1, 0, 2])), [1, 3, 2, 0, 4]);
});
