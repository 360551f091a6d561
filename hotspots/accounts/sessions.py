"""Login sessions and login throttling, both kept in the store.

A session is a random token. The browser keeps it in a cookie signed with the app's
secret (:func:`sign` / :func:`unsign`, itsdangerous); the store keeps only its SHA-256,
the account name and the account's credential version at login. :func:`check` runs on
every script run: the session is valid only while the account exists, its credential
version is unchanged (a removal, a role change, a password change or a logout changes
it) and it has not been idle longer than :data:`hotspots.base.settings.SESSION_MINUTES`.

Failed logins are counted per account name and per client in the store, so a reload
or a new tab does not reset them; past a threshold each further failure locks the key
for a growing time (:func:`lock_seconds`).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer

from hotspots.accounts import auth
from hotspots.accounts.auth import revoke_sessions
from hotspots.base import settings
from hotspots.base.errors import StoreBusyError
from hotspots.db.database import Database
from hotspots.db.schema import LOGIN_THROTTLE, SESSIONS, USERS


#: Name of the session cookie.
COOKIE = "hotspots_session"
#: Salt of the cookie signature (separates it from any other use of the secret).
_SALT = "hotspots-session-v1"


@dataclass(frozen=True)
class Session:
    """A valid login: the account, its role, and whether it must change its password."""

    name: str
    role: str
    token: str
    must_change: bool = False


# -- the secret and the cookie ------------------------------------------------------------
def secret_key(data_dir: Path | None = None) -> bytes:
    """Return the signing secret: ``HOTSPOTS_SECRET_KEY``, else a generated file in the data dir.

    The file (``secret_key``, mode 0600) is created once with 32 random bytes; it is
    git-ignored with the rest of the data folder and never part of the repository.
    """
    given = settings.secret_key()
    if given:
        return given
    path = Path(data_dir or settings.data_dir()) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes().strip()
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def sign(token: str, key: bytes) -> str:
    """Return the cookie value for ``token``, signed with ``key``."""
    return URLSafeSerializer(key, salt=_SALT).dumps(token)


def unsign(value: str | None, key: bytes) -> str | None:
    """Return the token inside a signed cookie value, or None if missing, forged or malformed."""
    if not value or len(value) > 200:
        return None
    try:
        token = URLSafeSerializer(key, salt=_SALT).loads(value)
    except (BadSignature, UnicodeError, ValueError):
        return None
    return token if isinstance(token, str) and len(token) == 43 else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- sessions -----------------------------------------------------------------------------
def start(store: Database, name: str) -> str:
    """Start a session for ``name`` (just authenticated) and return its token."""
    token = secrets.token_urlsafe(32)
    now = time.time()
    with store.transaction() as conn:
        version = conn.execute(sa.select(USERS.c.cred_version).where(USERS.c.name == name)).scalar_one()
        conn.execute(SESSIONS.insert().values(token_hash=_digest(token), name=name, cred_version=version,
                                              created_at=now, last_seen=now))
        # sessions idle past the limit are of no use to anyone: drop them
        conn.execute(SESSIONS.delete().where(SESSIONS.c.last_seen < now - settings.SESSION_MINUTES * 60))
    return token


def check(store: Database, token: str | None, *, now: float | None = None) -> Session | None:
    """Return the session of ``token`` if it is still valid, else None (see the module doc).

    A valid session's idle clock restarts (written at most once a minute).
    """
    if not token:
        return None
    now = time.time() if now is None else now
    query = (sa.select(SESSIONS.c.name, SESSIONS.c.last_seen, SESSIONS.c.created_at, USERS.c.role, USERS.c.must_change)
             .join(USERS, (USERS.c.name == SESSIONS.c.name) & (USERS.c.cred_version == SESSIONS.c.cred_version))
             .where(SESSIONS.c.token_hash == _digest(token)))
    with store.read() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    idle = now - float(row.last_seen)
    if idle > settings.SESSION_MINUTES * 60 or now - float(row.created_at) > settings.SESSION_MAX_HOURS * 3600:
        end(store, token)
        return None
    if idle > 60:
        try:
            with store.transaction() as conn:
                conn.execute(SESSIONS.update().where(SESSIONS.c.token_hash == _digest(token)).values(last_seen=now))
        except StoreBusyError:  # a long writer holds the store: the idle clock restarts next time
            pass
    return Session(name=str(row.name), role=str(row.role), token=token, must_change=bool(row.must_change))


def end(store: Database, token: str) -> None:
    """End one session (its row is deleted)."""
    with store.transaction() as conn:
        conn.execute(SESSIONS.delete().where(SESSIONS.c.token_hash == _digest(token)))


def end_all(store: Database, name: str) -> None:
    """End every session of ``name`` (a logout does this: all tabs and browsers)."""
    with store.transaction() as conn:
        revoke_sessions(conn, name)


# -- throttling ---------------------------------------------------------------------------
def lock_seconds(failures: int, threshold: int) -> float:
    """Return how long a key stays locked after its ``failures``-th failure in a row.

    Nothing below ``threshold``; then 30 s, doubling with each further failure, at most
    :data:`hotspots.base.settings.LOGIN_MAX_LOCK_SECONDS`.

    Examples
    --------
    >>> [lock_seconds(n, 5) for n in (4, 5, 6, 7)]
    [0.0, 30.0, 60.0, 120.0]
    """
    if failures < threshold:
        return 0.0
    return float(min(settings.LOGIN_MAX_LOCK_SECONDS, settings.LOGIN_FIRST_LOCK_SECONDS * 2 ** (failures - threshold)))


def client_address(peer: str | None, forwarded: str | None = None, *,
                   trusted: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network] = ()) -> str:
    """Return the address of the client a login comes from, for the per-client throttle.

    ``peer`` is the address the connection comes from (None: loopback, which Streamlit
    does not report). Only when the peer is a trusted proxy is ``X-Forwarded-For``
    (``forwarded``) read: from its right end (the entry the nearest proxy wrote), trusted
    proxies are skipped and the first other address is the client; anything else a
    browser wrote further left is not believed.

    Examples
    --------
    >>> import ipaddress
    >>> nginx = [ipaddress.ip_network("127.0.0.1")]
    >>> client_address(None, "10.1.2.3", trusted=nginx), client_address("10.9.9.9", "10.1.2.3", trusted=nginx)
    ('10.1.2.3', '10.9.9.9')
    >>> client_address(None, "6.6.6.6, 10.1.2.3", trusted=nginx)  # a browser's own header, then nginx's entry
    '10.1.2.3'
    """
    address = _ip(peer or "127.0.0.1")
    if address is None:
        return (peer or "unknown")[:100]
    entries = [e.strip() for e in (forwarded or "").split(",") if e.strip()]
    while _is_trusted(address, trusted) and entries:
        candidate = _ip(entries.pop())
        if candidate is None:  # not an address: stop at the last one a trusted proxy gave
            break
        address = candidate
    return str(address)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
    return mapped if mapped is not None else address


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address,
                trusted: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    return any(address.version == net.version and address in net for net in trusted)


def throttle_keys(name: str, client: str | None) -> dict[str, int]:
    """Return the throttle keys of a login attempt and their thresholds.

    The account's key is its own name (ASCII letters compared without case, as account
    names are ASCII): failures on any other name never count against it. The client's
    key is its address (:func:`client_address`); a locked client is refused for every
    name, and no account is locked by it.

    Examples
    --------
    >>> sorted(throttle_keys("Admin", "10.1.2.3"))
    ['client:10.1.2.3', 'user:admin']
    """
    account = name.lower() if name.isascii() else name
    return {"user:" + account[:100]: settings.LOGIN_MAX_FAILURES,
            "client:" + (client or "local")[:100]: settings.LOGIN_MAX_FAILURES_CLIENT}


def wait_seconds(store: Database, keys: dict[str, int], *, now: float | None = None) -> float:
    """Return how long the caller must wait before trying again (0 when not locked)."""
    now = time.time() if now is None else now
    with store.read() as conn:
        until = conn.execute(sa.select(sa.func.max(LOGIN_THROTTLE.c.locked_until))
                             .where(LOGIN_THROTTLE.c.key.in_(list(keys)))).scalar()
    return max(0.0, float(until or 0.0) - now)


def record_failure(store: Database, keys: dict[str, int], *, now: float | None = None) -> None:
    """Count a failed login against every key (a quiet key forgets after the reset time)."""
    now = time.time() if now is None else now
    with store.transaction() as conn:
        for key, threshold in keys.items():
            row = conn.execute(sa.select(LOGIN_THROTTLE.c.failures, LOGIN_THROTTLE.c.last_at)
                               .where(LOGIN_THROTTLE.c.key == key)).first()
            fresh = row is None or now - float(row.last_at) > settings.LOGIN_RESET_SECONDS
            failures = 1 if row is None or fresh else int(row.failures) + 1
            values = {"failures": failures, "last_at": now, "locked_until": now + lock_seconds(failures, threshold)}
            if row is None:
                conn.execute(LOGIN_THROTTLE.insert().values(key=key, **values))
            else:
                conn.execute(LOGIN_THROTTLE.update().where(LOGIN_THROTTLE.c.key == key).values(**values))


def record_success(store: Database, keys: dict[str, int]) -> None:
    """Forget the account's failures after a right password (the client's count stays)."""
    with store.transaction() as conn:
        conn.execute(LOGIN_THROTTLE.delete().where(LOGIN_THROTTLE.c.key.in_([k for k in keys if k.startswith("user:")])))


@dataclass(frozen=True)
class LoginResult:
    """What a login attempt gave: a session, or how long to wait, or a plain refusal."""

    session: Session | None = None
    wait: float = 0.0


def login(store: Database, name: str, password: str, *, client: str | None = None) -> LoginResult:
    """Check a login against the throttle and the stored hash; start a session if right.

    A locked account or client is refused before any password check (the reply says how
    long to wait); an unknown account costs the same time as a known one.
    """
    name = name.strip()
    keys = throttle_keys(name, client)
    wait = wait_seconds(store, keys)
    if wait > 0:
        return LoginResult(wait=wait)
    role = auth.authenticate(store, name, password)
    if role is None:
        record_failure(store, keys)
        return LoginResult(wait=wait_seconds(store, keys))
    record_success(store, keys)
    token = start(store, name)
    return LoginResult(session=check(store, token))
