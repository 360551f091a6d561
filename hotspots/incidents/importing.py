"""The all-or-nothing import of an incident file, with its report.

A file with a column the app does not know (and the mapping does not name) is refused when
its header is read (:mod:`hotspots.incidents.gate`). Then every row is cleaned and its free
text screened; if any row is refused, nothing is written and the report lists each refused
row (row number, reason). Rows without a usable place are imported as ``unlocated`` and listed.
Re-importing the same export adds nothing (keys: case reference, else the row's content).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hotspots.base.errors import ImportFileError
from hotspots.base.i18n import t, tn
from hotspots.db.database import now
from hotspots.incidents import table
from hotspots.incidents.cleaning import Cleaned, Geocoder, clean, gazetteer_lookup, report_frame
from hotspots.incidents.config import ColumnMapping, read_mapping
from hotspots.incidents.reading import RawFile, read_file
from hotspots.plan.store import Store


@dataclass
class ImportReport:
    """What an import did (or, dry, would do)."""

    cleaned: Cleaned
    raw: RawFile
    source: str
    added: int = 0
    already_stored: int = 0
    dry_run: bool = False

    @property
    def accepted(self) -> bool:
        """Return whether no row was refused (the file can be, or was, imported)."""
        return self.cleaned.refused.empty

    @property
    def written(self) -> bool:
        """Return whether the store was changed."""
        return self.accepted and not self.dry_run and self.added > 0

    def summary(self, lang: str) -> str:
        """Return one sentence saying what happened."""
        c = self.cleaned
        params = {"rows": len(self.raw.rows), "ok": len(c.incidents), "refused": len(c.refused),
                  "unplaced": len(c.unplaced), "added": self.added, "already": self.already_stored}
        if not self.accepted:
            return t("inc_summary_refused", lang, **params)
        if self.dry_run:
            return t("inc_summary_dry", lang, **params)
        return tn("inc_summary_done", self.added, lang, **params)

    def report_csv(self, lang: str) -> bytes:
        """Return the refused and unplaced rows as CSV (row, outcome, reason, value)."""
        return report_frame(self.cleaned.refused, self.cleaned.unplaced, lang).to_csv(index=False).encode("utf-8")


def import_raw(store: Store, raw: RawFile, *, author: str, source: str, dataset: str = "real",
               mapping: ColumnMapping | None = None, dry_run: bool = False,
               geocoder: Geocoder = gazetteer_lookup) -> ImportReport:
    """Clean ``raw`` and, unless a row is refused or ``dry_run``, write it in one transaction.

    Raises
    ------
    ImportFileError
        If the file has no row, or lacks the date/offence/place columns.
    """
    if raw.rows.empty:
        raise ImportFileError("err_inc_empty")
    cleaned = clean(raw, mapping=mapping, geocoder=geocoder)
    stored = table.existing_keys(store, dataset)
    report = ImportReport(cleaned, raw, source, dry_run=dry_run,
                          already_stored=int(cleaned.incidents["row_key"].isin(stored).sum()))
    if report.accepted and not dry_run:
        batch = f"{dataset}-{now()}-{len(cleaned.incidents)}"
        summary = {"rows": len(raw.rows), "unplaced": len(cleaned.unplaced), "format": raw.fmt,
                   "encoding": raw.encoding, "separator": raw.separator}
        report.added = table.write(store, cleaned.incidents, author=author, dataset=dataset, source=source,
                                   batch=batch, report=summary)
        report.already_stored = len(cleaned.incidents) - report.added
    return report


def import_file(store: Store, path: Path, *, author: str, mapping: Path | None = None, dataset: str = "real",
                dry_run: bool = False, geocoder: Geocoder = gazetteer_lookup) -> ImportReport:
    r"""Read and import an incident file (see :func:`import_raw`).

    Examples
    --------
    >>> from hotspots.plan.store import Store
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); f = d / "a.csv"
    >>> _ = f.write_text("data;vepra;gjeresia;gjatesia\n17.05.2023;droge;41.112;20.082\n", encoding="utf-8")
    >>> import_file(Store(d / "db.sqlite"), f, author="doc").added
    1
    """
    rules = read_mapping(mapping)
    raw = read_file(Path(path), rules)
    return import_raw(store, raw, author=author, source=Path(path).name, dataset=dataset,
                      mapping=rules, dry_run=dry_run, geocoder=geocoder)
