// Unit tests of static/js/coverage-layer.js and the unit shading of static/js/map-controls.js (node's test runner).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const C = require(path.join(__dirname, '..', '..', 'static', 'js', 'coverage-layer.js'));
const M = require(path.join(__dirname, '..', '..', 'static', 'js', 'map-controls.js'));
const HOSTILE = '<img src=x onerror=alert(1)>"\'`\\';

function payload() {
    return {id: ['H-1', 'H-2'], name: [HOSTILE, 'Sheshi'], cls: [0, 2], share: [95, 5],
            xy: [20.08, 41.11, 0, 0], r: [150, 0], shapes: [[1, 'LineString', [[20, 41], [20.01, 41.01]]]]};
}

test('a coverage tooltip is HTML text: id, name, class and share, every text escaped', () => {
    const tip = C.tooltip(payload(), ['covered', 'partly', '<not>'], 0);
    assert.equal(tip.split(' · ')[0], 'H-1');
    assert.ok(!tip.includes('<') && tip.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(C.tooltip(payload(), ['covered', 'partly', '<not>'], 1).endsWith('&lt;not&gt; 5%'));
});

test('coverage zones are built only when the layer is first switched on: a circle in metres per point', () => {
    const made = [];
    let onAdd = null;
    global.window = {L: {
        circle: (ll, opts) => { made.push(['circle', ll, opts.radius, opts.color]); return {bindTooltip: () => {}}; },
        GeoJSON: {geometryToLayer: (f) => { made.push([f.geometry.type]); return {setStyle: () => {}, bindTooltip: () => {}}; }},
    }};
    try {
        const group = {once: (ev, fn) => { assert.equal(ev, 'add'); onAdd = fn; }, addLayer: () => {}};
        const out = C.add(group, payload(), {classes: ['a', 'b', 'c'], colours: ['#0a0', '#fa0', '#c00']});
        assert.equal(out.count, 2);
        assert.deepEqual(made, []);  // off at first: nothing drawn
        onAdd();
        onAdd();  // switched on again: built once
        assert.deepEqual(made, [['circle', [41.11, 20.08], 150, '#0a0'], ['LineString']]);
    } finally {
        delete global.window;
    }
});

test('shadeUnits colours the unit layers by number, sets keyed labels as text, and keeps the colours', () => {
    const styled = [];
    const unitLayer = (u) => ({feature: {properties: {unit: u}}, setStyle: (s) => styled.push([u, s.fillColor])});
    const handlers = {};
    const label = {textContent: 'No. 1 (0)'};
    const map = {_hsLabels: {1: label}, on: (ev, fn) => { handlers[ev] = fn; },
                 eachLayer: (fn) => [unitLayer(1), {feature: {properties: {}}}, unitLayer(2)].forEach(fn)};
    M.shadeUnits(map, {fills: {1: '#f99b5b', 2: '#f4f4f4'}, labels: {1: 'No. 1 <b>(2)</b>'}});
    assert.deepEqual(styled, [[1, '#f99b5b'], [2, '#f4f4f4']]);
    assert.equal(label.textContent, 'No. 1 <b>(2)</b>');  // text, never HTML
    handlers.layeradd({layer: unitLayer(2)});  // the unit layer switched on again later
    assert.deepEqual(styled[2], [2, '#f4f4f4']);
    assert.equal(M.unitOf({feature: {properties: {kind: 'city'}}}), null);
});
