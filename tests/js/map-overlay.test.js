// Unit tests of static/components/map-overlay.js (node's test runner): the overlay drawn into its host map's frame.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const O = require(path.join(__dirname, '..', '..', 'static', 'components', 'map-overlay.js'));

/** A map frame's window: a map with addLayer/removeLayer, and an eval that runs a tiny overlay script. */
function mapWindow(host) {
    const w = {hsOverlayHost: host, map: {}, layers: [], evals: []};
    w.map_div = {removeLayer: (layer) => { w.layers = w.layers.filter((l) => l !== layer); }};
    w.eval = (script) => {
        w.evals.push(script);
        const layer = {script};
        w.feature_group_overlay_0 = layer;
        w.layers.push(layer);
    };
    return w;
}

function documentWith(...windows) {
    return {querySelectorAll: (sel) => (sel === O.FRAMES ? windows.map((w) => ({contentWindow: w})) : [])};
}

test('the host is the frame whose map named itself so, once its map is drawn', () => {
    const other = mapWindow('add_map');
    const host = mapWindow('hotspot_map');
    assert.equal(O.hostWindow(documentWith(other, host), 'hotspot_map'), host);
    const notYet = mapWindow('hotspot_map');
    delete notYet.map;  // streamlit-folium sets window.map once the map's script ran
    assert.equal(O.hostWindow(documentWith(other, notYet), 'hotspot_map'), null);
    assert.equal(O.hostWindow(documentWith(), 'hotspot_map'), null);
});

test('a frame of another origin is passed over, not an error', () => {
    const foreign = {};
    Object.defineProperty(foreign, 'hsOverlayHost', {get: () => { throw new Error('SecurityError'); }});
    const host = mapWindow('hotspot_map');
    assert.equal(O.hostWindow(documentWith(foreign, host), 'hotspot_map'), host);
});

test('a new overlay replaces the one drawn before; the same overlay is not drawn twice', () => {
    const w = mapWindow('hotspot_map');
    const first = {host: 'hotspot_map', script: 'A', layer: 'feature_group_overlay_0', digest: 'a'};
    assert.equal(O.apply(w, first), true);
    assert.equal(O.apply(w, first), false);
    assert.deepEqual(w.evals, ['A']);
    assert.equal(O.apply(w, {...first, script: 'B', digest: 'b'}), true);
    assert.deepEqual(w.layers.map((l) => l.script), ['B']);  // A removed from the map
    assert.equal(w.hsOverlay.script, 'B');
});

test('mount draws when the host appears, keeps the latest data, and stops polling on cleanup', () => {
    const frames = [];
    const doc = {querySelectorAll: () => frames.map((w) => ({contentWindow: w}))};
    let tick = null;
    let cleared = 0;
    const timers = {setInterval: (f) => { tick = f; return 7; }, clearInterval: (t) => { cleared += t; }};
    const cleanup = O.mount({data: {host: 'hotspot_map', script: 'A', layer: 'feature_group_overlay_0', digest: 'a'}},
                            doc, timers);
    assert.equal(typeof tick, 'function');
    const w = mapWindow('hotspot_map');
    frames.push(w);  // the map is drawn after the overlay's element
    tick();
    assert.deepEqual(w.evals, ['A']);
    O.mount({data: {host: 'hotspot_map', script: 'B', layer: 'feature_group_overlay_0', digest: 'b'}}, doc, timers);
    assert.deepEqual(w.evals, ['A', 'B']);
    const redrawn = mapWindow('hotspot_map');  // another layer switched on: a new map in a new frame
    frames.splice(0, 1, redrawn);
    tick();
    assert.deepEqual(redrawn.evals, ['B']);
    cleanup();
    assert.equal(cleared, 7);
});
