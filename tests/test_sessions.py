"""Sessions checked against the store, revocation, throttling, timing, password policy (issue 10)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from hotspots.accounts import auth
from hotspots.accounts import sessions
from hotspots.base import settings
from hotspots.base.errors import HotspotError, ValidationError
from hotspots.plan.store import Store

PASSWORD = "Correct-Horse-9"


@pytest.fixture()
def staff(store: Store) -> Store:
    auth.add_user(store, "mira", "staff", PASSWORD, author="test")
    auth.add_user(store, "boss", "admin", "Boss-Password-1", author="test")
    return store


def _token(store: Store, name: str = "mira", password: str = PASSWORD, client: str = "10.0.0.1") -> str:
    result = sessions.login(store, name, password, client=client)
    assert result.session is not None
    return result.session.token


@pytest.mark.parametrize("revoke", ["remove", "role", "password", "logout"])
def test_a_session_ends_when_the_account_changes(staff: Store, revoke: str) -> None:
    token = _token(staff)
    other = _token(staff)  # a second tab/browser of the same account
    assert sessions.check(staff, token) == sessions.Session("mira", "staff", token)
    {"remove": lambda: auth.remove_user(staff, "mira", author="boss"),
     "role": lambda: auth.set_role(staff, "mira", "council", author="boss"),
     "password": lambda: auth.set_password(staff, "mira", "Another-Pass-22", author="boss"),
     "logout": lambda: sessions.end_all(staff, "mira")}[revoke]()
    assert sessions.check(staff, token) is None and sessions.check(staff, other) is None


def test_a_recreated_account_does_not_revive_old_sessions(staff: Store) -> None:
    token = _token(staff)
    auth.remove_user(staff, "mira", author="boss")
    auth.add_user(staff, "mira", "admin", PASSWORD, author="boss")
    assert sessions.check(staff, token) is None


def test_an_idle_session_expires(staff: Store) -> None:
    token = _token(staff)
    later = time.time() + settings.SESSION_MINUTES * 60 + 5
    assert sessions.check(staff, token, now=later) is None
    assert sessions.check(staff, token) is None  # and it is gone for good


def test_the_cookie_is_signed_and_holds_no_secret(staff: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTSPOTS_SECRET_KEY", raising=False)
    key = sessions.secret_key(tmp_path)
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert sessions.secret_key(tmp_path) == key  # generated once
    token = _token(staff)
    value = sessions.sign(token, key)
    assert sessions.unsign(value, key) == token
    assert "mira" not in value and "$2b$" not in value and PASSWORD not in value
    forged = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert sessions.unsign(forged, key) is None
    assert sessions.unsign(sessions.sign(token, b"x" * 32), key) is None
    assert sessions.unsign("garbage", key) is None and sessions.unsign("", key) is None


def test_secret_is_not_in_the_repository() -> None:
    assert not list(settings.ROOT.glob("secret_key")) and not list(settings.GEODATA_DIR.glob("secret_key"))


def test_wrong_passwords_lock_the_account_and_a_new_store_object_still_sees_it(staff: Store, db_path: Path) -> None:
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert sessions.login(staff, "mira", "wrong-password-x", client="10.0.0.2").session is None
    # the right password is now refused too, from another client, by a fresh process-like store
    fresh = Store(db_path)
    locked = sessions.login(fresh, "mira", PASSWORD, client="10.0.0.3")
    assert locked.session is None and locked.wait > 20
    # the lock grows with each further failure: 30 s, 60 s, 120 s, ... at most 15 min
    assert [sessions.lock_seconds(n, 5) for n in (5, 6, 7, 20)] == [30.0, 60.0, 120.0, 900.0]


def test_one_client_trying_many_accounts_is_locked(staff: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "LOGIN_MAX_FAILURES_CLIENT", 4)  # the rule, with fewer bcrypt checks
    for n in range(settings.LOGIN_MAX_FAILURES_CLIENT):
        sessions.login(staff, f"guess{n}", "wrong-password-x", client="10.9.9.9")
    assert sessions.login(staff, "mira", PASSWORD, client="10.9.9.9").wait > 0
    assert sessions.login(staff, "mira", PASSWORD, client="10.0.0.8").session is not None


def test_attempts_per_minute_on_one_account_are_bounded(staff: Store) -> None:
    """Simulate a minute of guessing against one account with a clock: count the attempts let through."""
    start = time.time()
    allowed, now = 0, start
    keys = sessions.throttle_keys("mira", "10.1.1.1")
    while now < start + 60:
        if sessions.wait_seconds(staff, keys, now=now) == 0:
            allowed += 1
            sessions.record_failure(staff, keys, now=now)
        now += 1.0
    assert allowed == settings.LOGIN_MAX_FAILURES + 1  # 5 at once, one more after the 30 s lock


@pytest.mark.real_bcrypt_cost
def test_unknown_and_known_accounts_take_the_same_time(staff: Store) -> None:
    auth.authenticate(staff, "nobody", "x")  # the dummy hash is made once
    def timed(name: str) -> float:
        t0 = time.perf_counter()
        auth.authenticate(staff, name, "wrong-password-x")
        return time.perf_counter() - t0
    known = min(timed("mira") for _ in range(3))
    unknown = min(timed("nobody-here") for _ in range(3))
    assert 0.5 < unknown / known < 2.0, (known, unknown)


@pytest.mark.parametrize(("name", "password", "key"), [
    ("ana", " " * 12, "err_password_blank"),
    ("ana", "12345678", "err_password_short"),
    ("administrator", "administrator", "err_password_name"),
    ("admin", "Admin-admin1", "err_password_name"),
    ("ana", "é" * 40, "err_password_long"),
    ("ana", "x" * 73, "err_password_long"),
    ("ana", "abc\x00defghijklm", "err_password_chars"),
    ("ana", "abc\ud800defghijklm", "err_password_chars"),
])
def test_password_policy(name: str, password: str, key: str) -> None:
    with pytest.raises(ValidationError) as info:
        auth.check_password_policy(password, name)
    assert info.value.key == key


def test_long_passwords_never_raise_at_login(staff: Store) -> None:
    assert auth.authenticate(staff, "mira", "x" * 500) is None
    assert auth.authenticate(staff, "mira", "\ud800" * 20) is None


@pytest.mark.parametrize("name", ["admin\n", "a", "bob smith", "x" * 41, "ana\r", "<b>x</b>"])
def test_account_names_match_the_whole_text(store: Store, name: str) -> None:
    with pytest.raises(HotspotError):
        auth.add_user(store, name, "staff", PASSWORD, author="test")


def test_cli_refuses_a_name_with_a_newline_and_a_weak_password(db_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from hotspots.cli import commands as cli

    def run(*args: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return cli.main(["--db", str(db_path), "--lang", "en", *args])

    monkeypatch.setenv("HOTSPOTS_ADMIN_PASSWORD", "test-admin-pw")
    assert run("init") == 0
    assert run("users", "add", "admin\n", "--role", "staff", stdin=PASSWORD + "\n") == 2
    assert run("users", "add", "ana", "--role", "admin", stdin="        \n") == 2
    assert run("users", "add", "ana", "--role", "admin", stdin="x" * 100 + "\n") == 2
    assert "Traceback" not in capsys.readouterr().err
    assert run("users", "list") == 0
    assert capsys.readouterr().out.count("admin") == 2  # the first admin only (name + role)


def test_the_last_admin_cannot_be_removed_or_demoted(store: Store) -> None:
    auth.add_user(store, "boss", "admin", "Boss-Password-1", author="test")
    with pytest.raises(HotspotError):
        auth.remove_user(store, "boss", author="boss")
    with pytest.raises(HotspotError):
        auth.set_role(store, "boss", "staff", author="boss")


def test_own_password_change_needs_the_current_one_and_clears_one_time(staff: Store) -> None:
    auth.set_password(staff, "mira", "One-Time-Pass-1", author="boss", one_time=True)
    token = _token(staff, password="One-Time-Pass-1")
    assert sessions.check(staff, token).must_change  # type: ignore[union-attr]
    with pytest.raises(HotspotError):
        auth.change_own_password(staff, "mira", "wrong-password-x", "Brand-New-Pass-1")
    auth.change_own_password(staff, "mira", "One-Time-Pass-1", "Brand-New-Pass-1")
    assert sessions.check(staff, token) is None
    assert sessions.check(staff, _token(staff, password="Brand-New-Pass-1")).must_change is False  # type: ignore[union-attr]


def test_an_old_database_gets_the_new_columns(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite"  # written by the app as first deployed (tests/data), no sessions yet
    with sqlite3.connect(path) as con:
        con.executescript((Path(__file__).parent / "data" / "landed-1ca9a03.sql").read_text(encoding="utf-8"))
    store = Store(path)
    store.create_schema()  # migration 0004 adds the credential version and the session tables
    assert auth.authenticate(store, "anila", "staff-password-1") == "staff"
    auth.add_user(store, "mira", "staff", PASSWORD, author="test")
    assert sessions.check(store, _token(store)) is not None


# -- the client behind a proxy ----------------------------------------------------------------
NGINX = settings.trusted_proxies()  # the default: loopback, where deploy/nginx.conf runs


@pytest.mark.parametrize("peer, forwarded, client", [
    (None, "", "127.0.0.1"),  # a browser on the app's own machine, no proxy
    (None, "10.1.2.3", "10.1.2.3"),  # through nginx beside the app: the address nginx saw
    ("::1", "10.1.2.3", "10.1.2.3"),
    (None, "6.6.6.6, 10.1.2.3", "10.1.2.3"),  # a browser's own header is not believed, nginx's entry is
    ("10.9.9.9", "10.1.2.3", "10.9.9.9"),  # a peer that is no proxy cannot name another client
    (None, "not-an-address", "127.0.0.1"),
    (None, "[2001:db8::7]", "2001:db8::7"),
    ("::ffff:10.0.0.4", "", "10.0.0.4"),
])
def test_the_client_is_read_from_x_forwarded_for_only_behind_a_trusted_proxy(peer: str | None, forwarded: str,
                                                                              client: str) -> None:
    assert sessions.client_address(peer, forwarded, trusted=NGINX) == client


def test_trusted_proxies_are_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOTS_TRUSTED_PROXIES", "10.0.0.5, 192.168.1.0/24")
    trusted = settings.trusted_proxies()
    assert sessions.client_address("192.168.1.20", "10.1.2.3", trusted=trusted) == "10.1.2.3"
    assert sessions.client_address(None, "10.1.2.3", trusted=trusted) == "127.0.0.1"  # loopback not trusted now
    monkeypatch.setenv("HOTSPOTS_TRUSTED_PROXIES", "none")
    assert settings.trusted_proxies() == ()
    monkeypatch.setenv("HOTSPOTS_TRUSTED_PROXIES", "nginx.local")
    assert [e.params["name"] for e in settings.problems()] == ["HOTSPOTS_TRUSTED_PROXIES"]


def test_failures_on_other_names_never_lock_a_known_account(staff: Store) -> None:
    for n in range(settings.LOGIN_MAX_FAILURES_CLIENT):  # from many clients, on names like the account's
        for name in (f"mira{n}", f"\u212aira{n}", "mira" + "x" * 200):
            sessions.login(staff, name, "wrong-password-x", client=f"10.7.0.{n}")
    assert sessions.login(staff, "mira", PASSWORD, client="10.0.0.9").session is not None
    assert sessions.throttle_keys("\u212aaren", None) != sessions.throttle_keys("karen", None)  # a Kelvin sign
