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
});
