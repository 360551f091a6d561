"""The plan's other places: cameras and their coverage, cannabis-risk zones, schools, camera siting

their store, tables and map layers.
"""
