"""One small exception hierarchy; every error carries a translatable message.

Each error names a message key of :mod:`hotspots.base.i18n` and its parameters, so the
command line and the pages can say what was wrong in the user's language. This module imports
nothing of ours: :mod:`hotspots.base.i18n` installs the renderer of the messages when it is
imported (the package :mod:`hotspots.base` imports it first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


#: Renders a message id with its parameters in a language: ``render(key, lang, params)``.
Renderer = Callable[[str, str, dict[str, Any]], str]
_RENDERERS: list[Renderer] = []


def install_renderer(render: Renderer) -> None:
    """Make ``render`` the one that writes every error's message (:mod:`hotspots.base.i18n` installs ``t``)."""
    _RENDERERS[:] = [render]


def _render(key: str, lang: str, params: dict[str, Any]) -> str:
    if not _RENDERERS:  # only before hotspots.base is imported, which never happens through the package
        return " ".join([key, *(f"{k}={v}" for k, v in params.items())])
    return _RENDERERS[0](key, lang, params)


class HotspotError(ValueError):
    """Base class of the errors raised by :mod:`hotspots`.

    Parameters
    ----------
    key
        Message id of the catalogs (:mod:`hotspots.base.i18n`).
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
        def shown(value: Any) -> Any:
            if isinstance(value, HotspotError):
                return value.message(lang, escape=escape)
            return escape(value) if escape is not None and isinstance(value, str) else value

        return _render(self.key, lang, {k: shown(v) for k, v in self.params.items()})


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
