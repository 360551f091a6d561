"""The plan and its hotspots: what the triangle named, where, and how it changes per review period.

The model and validated records, the plan's problems and activities with their state per period,
the units, geocoding, the hotspot store with its observations, import and export, filtered views,
the rules of editing, the movement between two periods and the trends over many.
"""
