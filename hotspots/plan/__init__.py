"""The plan and its hotspots: the model, validated records, the plan's problems and activities, units, geocoding

the observations per review period, import/export, views, editing, movement and trends.
"""
