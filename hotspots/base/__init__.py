"""The shared floor: settings, errors, texts (i18n), stored codes and their labels, missing values, plain text.

Nothing here imports another package of ours. ``errors`` imports nothing of ours at all; ``settings``
only ``errors``; ``i18n`` reads the catalogs ``settings`` names and, imported here first, installs the
renderer that writes every error's message in the reader's language.
"""

from hotspots.base import i18n as _i18n  # noqa: F401 - installs the renderer of the errors' messages


