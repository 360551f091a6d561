"""Shared set-up: the example database (for pages and analysis tests), and the app with a real account logged in."""

from __future__ import annotations

import functools
import json
import os
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hotspots.accounts import auth
from hotspots.plan import editing
from hotspots.incidents import example
from hotspots.plan.store import Store

ROOT = Path(__file__).resolve().parent.parent


def example_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *, lang: str = "en") -> Path:
    """Create the pages' database (baseline, example series, example incidents) and point the app at it."""
    db = tmp_path / "pages.sqlite"
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    monkeypatch.setenv("HOTSPOTS_LANG", lang)
    db.write_bytes(_example_database_bytes())
    return db


def example_store(folder: Path) -> Store:
    """Return a store in ``folder`` holding the baseline, the example series and the example incidents (a copy)."""
    db = folder / "example.sqlite"
    db.write_bytes(_example_database_bytes())
    return Store(db)


@functools.cache
def _example_database_bytes() -> bytes:
    """Build the pages' database once per run and return the file's bytes (each test gets a copy)."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "pages.sqlite"
        store = Store(db)
        store.init(author="t")
        editing.load_example(store, author="t")
        example.load(store, author="t")
        store.dispose()  # folds the WAL into the file: the file alone is the whole store
        assert not db.with_name(db.name + "-wal").exists()
        return db.read_bytes()


def logged_in(role: str | None, lang: str = "en", *, timeout: float = 120) -> AppTest:
    """Return the app, run once, with a real account of ``role`` logged in through the login page.

    A role set in the session alone is worth nothing (every run asks the store), so the test
    creates the account ``<role>1`` in ``HOTSPOTS_DB`` and types its password. ``None``: a visitor.
    """
    os.environ["HOTSPOTS_LANG"] = lang
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout).run()
    return login(at, f"{role}1", role) if role else at


def login(at: AppTest, name: str, role: str, store: Store | None = None) -> AppTest:
    """Create the account ``name`` of ``role`` (in ``store``, else ``HOTSPOTS_DB``) and log in through the login page."""
    auth.add_user(store or Store(os.environ["HOTSPOTS_DB"]), name, role, f"{name}-password", author="test")
    at.switch_page("pages/login.py").run()
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(f"{name}-password")
    at.button[0].click().run()
    assert at.session_state["auth_role"] == role
    return at


def map_scripts(at: AppTest) -> str:
    """Return all the page's maps carry, as text: each streamlit-folium map's arguments and each overlay's data.

    The map page sends its overlay (hotspots, shading, a found place) as an element of its own
    after the map (:mod:`hotspots.maps.overlay`); both are read here.
    """
    found = [json.loads(el.proto.json_args) for el in at.get("component_instance") if "json_args" in dir(el.proto)]
    found += [json.loads(el.proto.json) for el in at.get("bidi_component") if el.proto.json]
    assert found, "a map is drawn"
    return "\n".join(str(v) for args in found for v in args.values())
