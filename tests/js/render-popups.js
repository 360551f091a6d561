// Print the popup and tooltip HTML of every hotspot of a payload, for tests/test_js.py.
// stdin: {"payload": ..., "problems": ..., "labels": ...} (hotspots.maps.builders' own JSON);
// stdout: [{"popup": html, "tooltip": html}, ...].
'use strict';
const path = require('node:path');
const H = require(path.join(__dirname, '..', '..', 'static', 'js', 'hotspot-layer.js'));

const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const D = input.payload;
const out = D.id.map((_, i) => ({popup: H.popup(D, input.problems, input.labels, i), tooltip: H.tooltip(D, i)}));
process.stdout.write(JSON.stringify(out));
