"""Incident records of the police: the evidence under every hotspot.

One record is a date, an offence class, a place (coordinates, or an address geocoded with
the offline gazetteer, keeping its grade), an internal case reference, a source and a
dataset (``real`` or ``example``). Places, never people: a file with any column the app does
not know is refused before a row is read, and free text about people refuses its row.

Modules
-------
config      offence classes, column names, reference shape, personal-data names (``geodata/incidents.yaml``)
gate        the allow-list of columns: a file with any other column is refused whole
screening   free text (reference, address, landmark) screened for personal data
table       the ``incidents`` table and the store reads/writes
reading     files (CSV, GeoJSON, GeoPackage, XLSX) to raw text frames, header through the gate first
cleaning    raw rows to incidents, with the refused and unplaced rows (pure)
importing   the all-or-nothing import with its report
counts      counts per hotspot / unit / period, Prediction Accuracy Index
disclosure  who sees what: cells of ~250 m, "<5", role-aware exports
example     the seeded example-incident generator
"""
