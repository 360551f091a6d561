"""Accounts and roles: bcrypt password hashes, role permissions, the first admin.

Passwords are never stored, logged or passed as command-line arguments: only their
bcrypt hashes reach the database.
"""

from __future__ import annotations

import functools
import re
import secrets
from enum import StrEnum

import bcrypt
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hotspots.base import settings
from hotspots.base.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from hotspots.db import database
from hotspots.db.database import Database, now
from hotspots.db.schema import SESSIONS, USERS


class Role(StrEnum):
    """What an account may do."""

    ANALYST = "analyst"
    COUNCIL = "council"
    STAFF = "staff"
    ADMIN = "admin"


#: Permission -> roles that have it.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "view_map": frozenset(Role),
    "view_review": frozenset(Role),
    "view_plan": frozenset(Role),
    "view_notes": frozenset({Role.ANALYST, Role.STAFF, Role.ADMIN}),
    # incident points and case details; everyone else sees cells and units only
    "view_incident_points": frozenset({Role.ANALYST, Role.STAFF, Role.ADMIN}),
    "export": frozenset({Role.ANALYST, Role.STAFF, Role.ADMIN, Role.COUNCIL}),
    "edit": frozenset({Role.STAFF, Role.ADMIN}),
    "manage_users": frozenset({Role.ADMIN}),
    # camera positions and the register are for logged-in roles only, never the public;
    # the plan's places (cameras, cannabis-risk zones, schools) are changed by staff
    "see_cameras": frozenset(Role),
    "edit_places": frozenset({Role.STAFF, Role.ADMIN}),
    # amending the plan as the council decided it, and starting a new plan from the old one
    "amend_plan": frozenset({Role.STAFF, Role.ADMIN}),
}

#: Shortest accepted password, in characters.
MIN_PASSWORD = 12
#: bcrypt reads at most 72 bytes; longer passwords are refused, never silently cut.
MAX_PASSWORD_BYTES = 72
#: Characters a password must keep once the account name is taken out of it.
MIN_PASSWORD_WITHOUT_NAME = 8
_NAME_RE = re.compile(r"\A[A-Za-z0-9._-]{2,40}\Z")


def can(role: str | None, permission: str) -> bool:
    """Return whether ``role`` has ``permission``."""
    return role is not None and role in {str(r) for r in PERMISSIONS.get(permission, frozenset())}


def require(role: str | None, permission: str) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` has ``permission``."""
    if not can(role, permission):
        raise PermissionDenied("err_permission")


def check_name(name: object) -> str:
    r"""Return ``name`` if it is a valid account name (2-40 of ``A-Z a-z 0-9 . _ -``), else raise.

    The whole text must match: a trailing newline is refused (``\Z``, not ``$``).

    Examples
    --------
    >>> check_name("ana.k")
    'ana.k'
    """
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValidationError("err_user_name")
    return name


def check_password_policy(password: object, name: str = "") -> str:
    """Return ``password`` if the policy allows it, else raise :class:`ValidationError`.

    At least :data:`MIN_PASSWORD` characters, not only spaces, at most
    :data:`MAX_PASSWORD_BYTES` bytes of UTF-8, no control characters, and at least
    :data:`MIN_PASSWORD_WITHOUT_NAME` characters left once the account name is taken out.
    """
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError("err_password_short", limit=MIN_PASSWORD)
    if not password.strip():
        raise ValidationError("err_password_blank")
    try:
        size = len(password.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate
        raise ValidationError("err_password_chars") from None
    if size > MAX_PASSWORD_BYTES:
        raise ValidationError("err_password_long", limit=MAX_PASSWORD_BYTES)
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        raise ValidationError("err_password_chars")
    if name and len(password.casefold().replace(name.casefold(), "")) < MIN_PASSWORD_WITHOUT_NAME:
        raise ValidationError("err_password_name")
    return password


def hash_password(password: str, name: str = "") -> str:
    """Return the bcrypt hash of ``password`` (checked against the policy first)."""
    check_password_policy(password, name)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    """Return whether ``password`` matches the bcrypt ``hashed`` (never raises)."""
    try:
        data = password.encode("utf-8", "surrogatepass")
        if len(data) > MAX_PASSWORD_BYTES:  # cannot match (refused when set); same cost
            bcrypt.checkpw(data[:MAX_PASSWORD_BYTES], hashed.encode("ascii"))
            return False
        return bcrypt.checkpw(data, hashed.encode("ascii"))
    except (ValueError, UnicodeError):
        return False


@functools.cache
def _dummy_hash() -> str:
    """Return a bcrypt hash of a random password, checked for unknown accounts (same cost)."""
    return bcrypt.hashpw(secrets.token_bytes(16).hex().encode(), bcrypt.gensalt()).decode("ascii")


def _new_version() -> int:
    """Return a fresh credential version: random, so a re-created account never revives old sessions."""
    return secrets.randbelow(2**31 - 2) + 1


def add_user(store: Database, name: str, role: str, password: str, *, author: str, one_time: bool = False) -> None:
    """Create an account (history kept, without the hash).

    Parameters
    ----------
    one_time
        The password is a one-time password: the account must change it at its first login.
    """
    check_name(name)
    if role not in {str(r) for r in Role}:
        raise ValidationError("err_choice", field="role", value=role, allowed=", ".join(Role))
    hashed = hash_password(password, name)
    with store.transaction() as conn:
        if conn.execute(sa.select(USERS.c.name).where(USERS.c.name == name)).first():
            raise ConflictError("err_user_exists", name=name)
        conn.execute(USERS.insert().values(name=name, role=role, password_hash=hashed, created_at=now(),
                                           cred_version=_new_version(), must_change=one_time))
        database.log(conn, author=author, action="add", entity="user", entity_id=name, after={"role": role})


def revoke_sessions(conn: Connection, name: str) -> None:
    """End every session of ``name``: a new credential version, its sessions deleted."""
    conn.execute(USERS.update().where(USERS.c.name == name).values(cred_version=_new_version()))
    conn.execute(SESSIONS.delete().where(SESSIONS.c.name == name))


def set_password(store: Database, name: str, password: str, *, author: str, one_time: bool = False) -> None:
    """Change an account's password and end all its sessions (history records it, never the hash).

    Parameters
    ----------
    one_time
        Set by an administrator for someone else: it must be changed at the next login.
    """
    hashed = hash_password(password, name)
    with store.transaction() as conn:
        done = conn.execute(USERS.update().where(USERS.c.name == name).values(password_hash=hashed, must_change=one_time))
        if done.rowcount == 0:
            raise NotFoundError("err_user_unknown", name=name)
        revoke_sessions(conn, name)
        database.log(conn, author=author, action="password", entity="user", entity_id=name)


def change_own_password(store: Database, name: str, old: str, new: str) -> None:
    """Change one's own password after checking the current one (ends every session)."""
    if authenticate(store, name, old) is None:
        raise PermissionDenied("err_password_current")
    if old == new:
        raise ValidationError("err_password_same")
    set_password(store, name, new, author=name)


def set_role(store: Database, name: str, role: str, *, author: str) -> None:
    """Change an account's role and end all its sessions (history kept)."""
    if role not in {str(r) for r in Role}:
        raise ValidationError("err_choice", field="role", value=role, allowed=", ".join(Role))
    with store.transaction() as conn:
        row = conn.execute(sa.select(USERS.c.role).where(USERS.c.name == name)).first()
        if row is None:
            raise NotFoundError("err_user_unknown", name=name)
        if row[0] == role:
            return
        _check_not_last_admin(conn, name, row[0])
        conn.execute(USERS.update().where(USERS.c.name == name).values(role=role))
        revoke_sessions(conn, name)
        database.log(conn, author=author, action="role", entity="user", entity_id=name,
                  before={"role": row[0]}, after={"role": role})


def _check_not_last_admin(conn: Connection, name: str, role: str) -> None:
    if role != Role.ADMIN:
        return
    admins = conn.execute(sa.select(sa.func.count()).select_from(USERS).where(USERS.c.role == str(Role.ADMIN))).scalar_one()
    if admins <= 1:
        raise ConflictError("err_last_admin", name=name)


def remove_user(store: Database, name: str, *, author: str) -> None:
    """Remove an account and end its sessions (recorded in the history)."""
    with store.transaction() as conn:
        row = conn.execute(sa.select(USERS.c.role).where(USERS.c.name == name)).first()
        if row is None:
            raise NotFoundError("err_user_unknown", name=name)
        _check_not_last_admin(conn, name, row[0])
        conn.execute(SESSIONS.delete().where(SESSIONS.c.name == name))
        conn.execute(USERS.delete().where(USERS.c.name == name))
        database.log(conn, author=author, action="remove", entity="user", entity_id=name, before={"role": row[0]})


def list_users(store: Database) -> pd.DataFrame:
    """Return the accounts: ``name``, ``role``, ``created_at`` (no hashes)."""
    with store.read() as conn:
        rows = conn.execute(sa.select(USERS.c.name, USERS.c.role, USERS.c.created_at).order_by(USERS.c.name)).all()
    return pd.DataFrame(rows, columns=["name", "role", "created_at"])


def authenticate(store: Database, name: str, password: str) -> str | None:
    """Return the role of ``name`` if ``password`` is right, else None.

    An unknown account costs the same bcrypt check as a known one (a dummy hash), so
    the time taken does not tell which accounts exist.
    """
    with store.read() as conn:
        row = conn.execute(sa.select(USERS.c.password_hash, USERS.c.role).where(USERS.c.name == name)).first()
    if row is None:
        check_password(password, _dummy_hash())
        return None
    if not check_password(password, row[0]):
        return None
    return str(row[1])


def ensure_first_admin(store: Database) -> str | None:
    """Create the account ``admin`` when there is no account at all.

    The password comes from ``HOTSPOTS_ADMIN_PASSWORD``; without it a random one-time
    password is generated and returned, to be printed once and changed.
    """
    if not list_users(store).empty:
        return None
    given = settings.admin_password()
    password = given or secrets.token_urlsafe(15)
    add_user(store, "admin", Role.ADMIN, password, author="system", one_time=not given)
    return None if given else password
