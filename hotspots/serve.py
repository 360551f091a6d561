"""Start the app: ``streamlit run app.py``, with Streamlit's legacy ``pages/`` scan off.

``app.py`` declares its pages with ``st.navigation``. Until a process has called
``st.navigation`` once, Streamlit treats a ``pages/`` folder beside the entry point as a
version-1 multipage app, so the very first visit to a page URL after a start would run
that page alone (no shell, no role filtering). This launcher switches that off before
the server starts; everything else is plain ``streamlit run``.

Usage: ``python -m hotspots.serve [streamlit run options]``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from hotspots.base import settings
from hotspots.maps import basemap


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``streamlit run app.py`` with ``argv`` as its options."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    bad = settings.problems()
    if bad:  # refuse to start on a setting the app cannot use, naming it (never a silent fallback)
        for problem in bad:
            print(f"{problem.message('en')}\n{problem.message('sq')}", file=sys.stderr)
        raise SystemExit(2)
    PagesManager.uses_pages_directory = False
    hide_metrics()
    _prepare_basemap()
    options = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", "run", str(settings.ROOT / "app.py"), *upload_limit(options), *options]
    cli.main()


def upload_limit(options: Sequence[str]) -> list[str]:
    """Return the option that sets Streamlit's upload limit to the app's (unless ``options`` set it).

    ``.streamlit/config.toml`` is read from the working folder only; the flag holds from anywhere.

    Examples
    --------
    >>> upload_limit(["--server.port", "8501"])
    ['--server.maxUploadSize', '60']
    >>> upload_limit(["--server.maxUploadSize=10"])
    []
    """
    if any(o.split("=", 1)[0] == "--server.maxUploadSize" for o in options):
        return []
    return ["--server.maxUploadSize", str(settings.UPLOAD_MAX_MB)]


def hide_metrics() -> None:
    """Leave Streamlit's ``/_stcore/metrics`` route out of the server.

    The endpoint is unauthenticated and Streamlit 1.67 has no option to switch it off
    (``server.*`` options only tune it), so the launcher drops the route before the
    server builds its route table. ``/_stcore/health`` stays.
    """
    from streamlit.web.server.starlette import starlette_app

    # Patched where the server looks it up; starlette_app imports the name without re-exporting it.
    starlette_app.create_metrics_routes = lambda runtime, base_url: []  # type: ignore[attr-defined]


def _prepare_basemap() -> None:
    """Unpack the tiles of an MBTiles basemap for the app to serve; say why a file cannot be used."""
    from pathlib import Path

    value = settings.basemap()
    try:
        if basemap.kind(value) == "mbtiles":
            count = basemap.prepare(Path(value))
            print(f"basemap: {count} tiles of {value} served at /app/static/basemap/", file=sys.stderr)
    except (ValueError, OSError) as exc:
        print(f"basemap: {exc}; the maps have no tiles", file=sys.stderr)


if __name__ == "__main__":
    main()
