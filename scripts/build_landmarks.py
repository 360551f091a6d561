"""Write geodata/landmarks.csv: named places that give a map street context with no tiles.

Run from the repository root: ``.venv/bin/python scripts/build_landmarks.py [SOURCE.csv]``.
The source is the 2019 OSM extract of points of interest in Elbasan kept with the project's
reference data (``../shared/reference/geodata/elbasan_osm_poi_nodes_2019.csv``; ODbL). Only
the kinds that help someone find their way are kept (places of worship, schools, markets,
stations, fuel, pharmacies, banks, malls, supermarkets, libraries, cemeteries, villages);
unnamed ones keep their kind as a label. The output is committed; this script documents
how it was made.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "reference" / "geodata" / "elbasan_osm_poi_nodes_2019.csv"
TARGET = ROOT / "geodata" / "landmarks.csv"
#: OSM ``tag=value`` kept, and the kind written.
KINDS: dict[tuple[str, str], str] = {
    ("amenity", "place_of_worship"): "place_of_worship", ("amenity", "school"): "school",
    ("amenity", "marketplace"): "marketplace", ("amenity", "bus_station"): "bus_station",
    ("amenity", "library"): "library", ("amenity", "fuel"): "fuel", ("amenity", "pharmacy"): "pharmacy",
    ("amenity", "bank"): "bank", ("amenity", "grave_yard"): "cemetery", ("shop", "mall"): "mall",
    ("shop", "supermarket"): "supermarket", ("place", "village"): "village",
}


def main(source: Path = SOURCE) -> None:
    """Filter the OSM nodes and write the landmarks file."""
    nodes = pd.read_csv(source, dtype={"osm_node_id": str})
    kinds = [KINDS.get((t, v)) for t, v in zip(nodes["tag"], nodes["value"], strict=True)]
    out = nodes.assign(kind=kinds).dropna(subset=["kind"])
    out = out[["osm_node_id", "kind", "name", "name_en", "lat", "lon"]].fillna({"name": "", "name_en": ""})
    out = out.sort_values(["kind", "name", "osm_node_id"])
    out.to_csv(TARGET, index=False, lineterminator="\n", float_format="%.7f")
    print(f"{len(out)} landmarks written to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
