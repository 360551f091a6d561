"""The hotspot store: a :class:`~hotspots.db.database.Database` with the reads pages make.

SQLite (through SQLAlchemy) is the embedded default; PostgreSQL + PostGIS the server
backend (``HOTSPOTS_DB=postgresql+psycopg://…``), with the same behaviour. The database
itself (engines, tables, transactions with their history, the data version) is
:mod:`hotspots.db.database`; the SQL of each concern is a module of plain functions taking a
connection (:mod:`hotspots.plan.observations`, :mod:`hotspots.plan.plan_state`, accounts in
:mod:`hotspots.accounts.auth` and :mod:`hotspots.accounts.sessions`, :mod:`hotspots.incidents.table`,
:mod:`hotspots.places.store`); the rules of editing (reviews, placing, closing a period)
are :mod:`hotspots.plan.editing`. :class:`Store` adds the reads every page makes and the one
primitive write of validated records.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy.engine import Connection

from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.db.database import Database
from hotspots.plan import observations, plan_state, units
from hotspots.plan.exchange import read_features
from hotspots.plan.plan import load_plan
from hotspots.plan.records import Record


class Store(Database):
    """The hotspot database.

    Parameters
    ----------
    url
        A SQLAlchemy URL or a file path; default :func:`hotspots.base.settings.database_url`.

    Examples
    --------
    >>> store = Store("/tmp/doc-example.sqlite"); _ = store.init()
    >>> len(store.hotspots(period="2022-H1"))
    14
    """

    def init(self, *, baseline: Path | None = None, author: str = "system") -> int:
        """Create or upgrade the schema and load the plan's baseline if the store is empty.

        Returns
        -------
        int
            The number of hotspots loaded (0 when the store already held data).
        """
        self.create_schema()
        if not self.is_empty():
            return 0

        path = Path(baseline or settings.BASELINE_FILE)
        if not path.is_file():  # a municipality folder without a baseline: the store starts empty
            return 0
        records = read_features(path)
        self.write_records(records, author=author, action="baseline")
        return len(records)

    # -- the one primitive write --------------------------------------------------------
    def write_records(
        self, records: Sequence[Record], *, author: str, action: str = "add",
        dataset: str = "real", reject_duplicates: bool = True,
    ) -> list[dict[str, str]]:
        """Write validated records in one transaction (see :func:`hotspots.plan.observations.write`).

        The unit of each record is computed from its place before the transaction starts.

        Returns
        -------
        list of dict
            Per record: ``id`` and ``result`` (``added``, ``observed``, ``updated`` or
            ``unchanged``).

        Raises
        ------
        ConflictError
            If a new hotspot duplicates one at the same place in the same period, a record
            would change a stored hotspot's name or category, or a period's review is closed.
        """
        unit_of = units.units_of([r.geometry for r in records])
        with self.transaction() as conn:
            _check_activities(conn, records)
            return observations.write(conn, records, unit_of, author=author, action=action, dataset=dataset,
                                      reject_duplicates=reject_duplicates)

    # -- reads --------------------------------------------------------------------------
    def is_empty(self) -> bool:
        """Return whether the store holds no hotspot."""
        with self.read() as conn:
            return observations.is_empty(conn)

    def example_loaded(self) -> bool:
        """Return whether the example series is loaded."""
        with self.read() as conn:
            return observations.example_loaded(conn)

    def hotspots(
        self, *, period: str | None = None, category: str | None = None,
        units_in: Sequence[int] | None = None, ids: Sequence[str] | None = None,
        dataset: str | None = "real",
    ) -> gpd.GeoDataFrame:
        """Return hotspot observations as a GeoDataFrame in EPSG:4326 (see :func:`hotspots.plan.observations.select`)."""
        with self.read() as conn:
            return observations.select(conn, period=period, category=category, units_in=units_in, ids=ids,
                                       dataset=dataset)

    def unit_counts(self, period: str, *, category: str, dataset: str = "real") -> dict[int, int]:
        """Return the number of active hotspots per unit (1-6) of one category, counted in SQL."""
        with self.read() as conn:
            return observations.unit_counts(conn, period, category=category, dataset=dataset)

    def ids_in_bbox(self, period: str, bbox: tuple[float, float, float, float], *, dataset: str = "real") -> list[str]:
        """Return the ids of the hotspots of ``period`` whose shape meets ``bbox`` (lon/lat)."""
        with self.read() as conn:
            return observations.ids_in_bbox(conn, period, bbox, dataset=dataset)

    def history(self, *, entity_id: str | None = None, limit: int | None = None) -> pd.DataFrame:
        """Return history rows, newest first (optionally of one hotspot/activity)."""
        with self.read() as conn:
            return observations.history(conn, entity_id=entity_id, limit=limit)

    def activity_status(self, period: str | None = None) -> pd.DataFrame:
        """Return the stored activity statuses (``activity_id``, ``period``, ``status``, ``note``)."""
        with self.read() as conn:
            return plan_state.activity_status(conn, period)

    def priorities(self) -> pd.DataFrame:
        """Return the stored per-period priorities (``problem_id``, ``period``, ``priority``)."""
        with self.read() as conn:
            return plan_state.priorities(conn)


def _check_activities(conn: Connection, records: Sequence[Record]) -> None:
    """Refuse a record linked to an activity neither the folder's plan nor a stored version or change has."""
    linked = {a for r in records for a in r.activities}
    base = {a.id for p in load_plan().problems for a in p.activities}
    if linked - base:
        unknown = sorted(linked - base - plan_state.known_activity_ids(conn))
        if unknown:
            raise ValidationError("err_activity_unknown", value=", ".join(unknown))
