"""The plan's other places: cameras and their coverage, cannabis-risk zones, schools, camera siting.

Each has its register in the store (:mod:`~hotspots.places.store`), its tables for people
(:mod:`~hotspots.places.tables`) and its map layers (:mod:`~hotspots.places.maps`);
:mod:`~hotspots.places.service` reads them together with the hotspots of a period.
"""
