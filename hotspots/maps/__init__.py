"""Maps: folium builders of the hotspot map, the map's own scripts, the basemaps."""
