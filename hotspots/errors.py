"""One small exception hierarchy; every error carries a translatable message.

Each error names a message key of :mod:`hotspots.i18n` and its parameters, so the
command line and the pages can say what was wrong in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class HotspotError(ValueError):
    """Base class of the errors raised by :mod:`hotspots`.

    Parameters
    ----------
    key
        Message id of the catalogs (:mod:`hotspots.i18n`).
    **params
        Values substituted into the message.
    """

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en", *, escape: Callable[[str], str] | None = None) -> str:
        """Return the message in ``lang`` (``sq`` or ``en``).

        ``escape`` is applied to every text parameter (a page passes Markdown escaping,
        so a stored name shows as typed in an alert).
        """
        from hotspots.i18n import t

        def shown(value: Any) -> Any:
            if isinstance(value, HotspotError):
                return value.message(lang, escape=escape)
            return escape(value) if escape is not None and isinstance(value, str) else value

        return t(self.key, lang, **{k: shown(v) for k, v in self.params.items()})


class ValidationError(HotspotError):
    """A record, a coordinate or a file failed validation; nothing was written."""


class ImportFileError(ValidationError):
    """An import file could not be read or holds invalid features."""


class UnitLayerError(ValidationError):
    """A unit (lagje) layer is not six valid, non-overlapping polygons in the municipality."""


class NotFoundError(HotspotError):
    """A hotspot, period, user or place does not exist."""


class ConflictError(HotspotError):
    """A write conflicts with what is stored (a duplicate, a stale update)."""


class StaleEditError(ConflictError):
    """A write was made from an older version of a hotspot than the stored one; nothing was written.

    ``params`` name the hotspot (``id``), the version the edit was made from (``yours``),
    the stored one (``stored``), and who changed it when (``by``, ``at``, ``change``).
    """


class PermissionDenied(HotspotError):
    """The account's role does not allow this action."""


class StoreBusyError(HotspotError):
    """The database stayed locked by another writer (an import) past the busy timeout; nothing was written."""


class StoreFaultError(HotspotError):
    """The database cannot be read or written (corrupt, truncated, read-only, missing, newer schema)."""


class SettingError(HotspotError):
    """An environment setting has a value the app cannot use (named, with what it accepts)."""
