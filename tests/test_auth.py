"""Accounts: bcrypt hashes only, roles, the command line, the first admin."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotspots.accounts import auth
from hotspots.base.errors import HotspotError
from hotspots.plan.store import Store

PASSWORD = "Very-Secret-Passw0rd"


@pytest.mark.real_bcrypt_cost
def test_passwords_are_stored_only_as_bcrypt_hashes(store: Store, db_path: Path) -> None:
    auth.add_user(store, "ana", "analyst", PASSWORD, author="admin")
    assert auth.authenticate(store, "ana", PASSWORD) == "analyst"
    assert auth.authenticate(store, "ana", "wrong-password") is None
    assert auth.authenticate(store, "nobody", PASSWORD) is None
    store.dispose()
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob("hotspots.sqlite*"))
    assert PASSWORD.encode() not in raw
    assert b"$2b$12$" in raw  # a bcrypt hash, at bcrypt's default cost (tests elsewhere hash at cost 4)
    assert PASSWORD not in store.history()["after"].fillna("").str.cat()


def test_roles_and_permissions() -> None:
    assert auth.can("staff", "edit") and auth.can("admin", "edit")
    assert not auth.can("council", "edit") and not auth.can("analyst", "edit") and not auth.can(None, "edit")
    assert auth.can("analyst", "view_notes") and not auth.can("council", "view_notes")
    assert auth.can("admin", "manage_users") and not auth.can("staff", "manage_users")


def test_bad_accounts_are_refused(store: Store) -> None:
    with pytest.raises(HotspotError):
        auth.add_user(store, "x", "staff", PASSWORD, author="admin")           # name too short
    with pytest.raises(HotspotError):
        auth.add_user(store, "bob", "boss", PASSWORD, author="admin")          # unknown role
    with pytest.raises(HotspotError):
        auth.add_user(store, "bob", "staff", "short", author="admin")          # short password
    auth.add_user(store, "bob", "staff", PASSWORD, author="admin")
    with pytest.raises(HotspotError):
        auth.add_user(store, "bob", "staff", PASSWORD, author="admin")         # exists


def test_cli_users_read_the_password_from_stdin_never_an_argument(cli, backend_url: str) -> None:
    cli("init")
    done = cli("users", "add", "mira", "--role", "staff", input=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    listed = cli("users", "list").stdout
    assert "mira" in listed and "staff" in listed and "$2b$" not in listed
    assert cli("users", "add", "mira2", "--role", "staff", "--password", PASSWORD).returncode != 0
    assert cli("users", "remove", "mira").returncode == 0
    assert "mira" not in cli("users", "list").stdout
    history = Store(backend_url).history()
    assert {"add", "remove"} <= set(history.loc[history["entity"] == "user", "action"])


def test_first_admin_gets_a_printed_one_time_password(cli, backend_url: str) -> None:
    done = cli("init", env={"HOTSPOTS_ADMIN_PASSWORD": ""})
    line = next(x for x in done.stdout.splitlines() if "One-time password" in x)
    password = line.rsplit(" ", 1)[1]
    assert auth.authenticate(Store(backend_url), "admin", password) == "admin"
    assert "One-time" not in cli("init").stdout  # only once


def test_cli_users_passwd_changes_the_password_from_stdin(cli, backend_url: str) -> None:
    new = "Another-Long-Passw0rd"
    cli("init")
    assert cli("users", "add", "mira", "--role", "staff", input=PASSWORD + "\n").returncode == 0
    done = cli("users", "passwd", "mira", input=new + "\n")
    assert done.returncode == 0, done.stderr
    assert "password of mira changed" in done.stdout and new not in done.stdout + done.stderr
    store = Store(backend_url)
    assert auth.authenticate(store, "mira", new) == "staff"
    assert auth.authenticate(store, "mira", PASSWORD) is None
    changes = store.history(entity_id="mira")
    assert len(changes) == 2 and new not in changes["after"].fillna("").str.cat()
    weak = cli("--lang", "en", "users", "passwd", "mira", input="short\n")
    assert weak.returncode == 2 and "Traceback" not in weak.stderr
    assert auth.authenticate(store, "mira", new) == "staff"  # a refused password changes nothing
    unknown = cli("--lang", "en", "users", "passwd", "nobody", input=new + "\n")
    assert unknown.returncode == 2 and "nobody" in unknown.stderr
