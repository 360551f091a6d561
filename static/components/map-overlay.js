// The map page's overlay (hotspots, unit shading, the found place), drawn into the map's frame.
//
// The map (streamlit-folium's frame) and its overlay reach the browser as two elements, so a
// filter change sends the overlay and only a reference to the unchanged map
// (hotspots/maps/overlay.py). This script is the overlay's element: a Streamlit component
// (st.components.v2) running in the app's page. It finds the frame whose map declared itself
// the overlay's host (window.hsOverlayHost), removes the overlay it drew there before and runs
// the new overlay's script in that frame. It looks again every POLL_MS, so a map drawn anew
// (another layer switched on, a page opened again) gets its overlay as soon as it is ready.
// The script comes from the app's server (folium's output, every text in it escaped there).
'use strict';

var MapOverlay = (function () {
    var FRAMES = 'iframe[title="streamlit_folium.st_folium"]';
    var POLL_MS = 100;

    /** Return the window of the map frame in `doc` whose map is the host `host` and is drawn, or null. */
    function hostWindow(doc, host) {
        var frames = doc.querySelectorAll(FRAMES);
        for (var i = 0; i < frames.length; i++) {
            var w = frames[i].contentWindow;
            try {
                if (w && w.hsOverlayHost === host && w.map && w.map_div) return w;
            } catch (e) {
                // a frame of another origin: not ours
            }
        }
        return null;
    }

    /** Draw `spec` in the map frame `w` in place of the overlay drawn before; return whether it drew. */
    function apply(w, spec) {
        if (w.hsOverlayDigest === spec.digest) return false;
        if (w.hsOverlay) {
            w.map_div.removeLayer(w.hsOverlay);
            w.hsOverlay = null;
        }
        w.hsOverlayDigest = spec.digest;  // set first: a script that fails is not run again every POLL_MS
        w.eval(spec.script);  // in the frame's global scope, where streamlit-folium's scripts run
        w.hsOverlay = w[spec.layer] || null;
        return true;
    }

    /** The component's entry: keep the latest overlay and draw it whenever its host is ready. */
    function mount(component, doc, timers) {
        doc = doc || document;
        timers = timers || {setInterval: function (f, ms) { return setInterval(f, ms); },
                           clearInterval: function (t) { clearInterval(t); }};
        var state = mount.state || (mount.state = {timer: null, spec: null});
        state.spec = component.data;
        var tick = function () {
            var w = state.spec && hostWindow(doc, state.spec.host);
            if (w) apply(w, state.spec);
        };
        if (state.timer === null) state.timer = timers.setInterval(tick, POLL_MS);
        tick();
        return function () {
            if (state.timer !== null) timers.clearInterval(state.timer);
            state.timer = null;
        };
    }

    return {hostWindow: hostWindow, apply: apply, mount: mount, FRAMES: FRAMES};
})();

if (typeof module !== 'undefined' && module.exports) module.exports = MapOverlay;
