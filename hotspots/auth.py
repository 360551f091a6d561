"""Accounts and roles: bcrypt password hashes, role permissions, the first admin.

Passwords are never stored, logged or passed as command-line arguments: only their
bcrypt hashes reach the database.
"""

from __future__ import annotations

import os
import re
import secrets
from enum import StrEnum

import bcrypt
import pandas as pd
import sqlalchemy as sa

from hotspots.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from hotspots.store import USERS, Store, now


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
    "export": frozenset({Role.ANALYST, Role.STAFF, Role.ADMIN, Role.COUNCIL}),
    "edit": frozenset({Role.STAFF, Role.ADMIN}),
    "manage_users": frozenset({Role.ADMIN}),
}

MIN_PASSWORD = 8
_NAME_RE = re.compile(r"^[A-Za-z0-9._-]{2,40}$")


def can(role: str | None, permission: str) -> bool:
    """Return whether ``role`` has ``permission``."""
    return role is not None and role in {str(r) for r in PERMISSIONS.get(permission, frozenset())}


def require(role: str | None, permission: str) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` has ``permission``."""
    if not can(role, permission):
        raise PermissionDenied("err_permission")


def hash_password(password: str) -> str:
    """Return the bcrypt hash of ``password`` (checked for length first)."""
    if len(password) < MIN_PASSWORD:
        raise ValidationError("err_password_short", limit=MIN_PASSWORD)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    """Return whether ``password`` matches the bcrypt ``hashed``."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def add_user(store: Store, name: str, role: str, password: str, *, author: str) -> None:
    """Create an account (history kept, without the hash)."""
    if not _NAME_RE.match(name or ""):
        raise ValidationError("err_user_name")
    if role not in {str(r) for r in Role}:
        raise ValidationError("err_choice", field="role", value=role, allowed=", ".join(Role))
    hashed = hash_password(password)
    with store.transaction() as conn:
        if conn.execute(sa.select(USERS.c.name).where(USERS.c.name == name)).first():
            raise ConflictError("err_user_exists", name=name)
        conn.execute(USERS.insert().values(name=name, role=role, password_hash=hashed, created_at=now()))
        store.log(conn, author=author, action="add", entity="user", entity_id=name, after={"role": role})


def set_password(store: Store, name: str, password: str, *, author: str) -> None:
    """Change an account's password (history records the change, never the hash)."""
    hashed = hash_password(password)
    with store.transaction() as conn:
        done = conn.execute(USERS.update().where(USERS.c.name == name).values(password_hash=hashed))
        if done.rowcount == 0:
            raise NotFoundError("err_user_unknown", name=name)
        store.log(conn, author=author, action="password", entity="user", entity_id=name)


def remove_user(store: Store, name: str, *, author: str) -> None:
    """Remove an account (recorded in the history)."""
    with store.transaction() as conn:
        row = conn.execute(sa.select(USERS.c.role).where(USERS.c.name == name)).first()
        if row is None:
            raise NotFoundError("err_user_unknown", name=name)
        conn.execute(USERS.delete().where(USERS.c.name == name))
        store.log(conn, author=author, action="remove", entity="user", entity_id=name, before={"role": row[0]})


def list_users(store: Store) -> pd.DataFrame:
    """Return the accounts: ``name``, ``role``, ``created_at`` (no hashes)."""
    with store._read.connect() as conn:
        rows = conn.execute(sa.select(USERS.c.name, USERS.c.role, USERS.c.created_at).order_by(USERS.c.name)).all()
    return pd.DataFrame(rows, columns=["name", "role", "created_at"])


def authenticate(store: Store, name: str, password: str) -> str | None:
    """Return the role of ``name`` if ``password`` is right, else None."""
    with store._read.connect() as conn:
        row = conn.execute(sa.select(USERS.c.password_hash, USERS.c.role).where(USERS.c.name == name)).first()
    if row is None or not check_password(password, row[0]):
        return None
    return str(row[1])


def ensure_first_admin(store: Store) -> str | None:
    """Create the account ``admin`` when there is no account at all.

    The password comes from ``HOTSPOTS_ADMIN_PASSWORD``; without it a random one-time
    password is generated and returned, to be printed once and changed.
    """
    if not list_users(store).empty:
        return None
    given = os.environ.get("HOTSPOTS_ADMIN_PASSWORD")
    password = given or secrets.token_urlsafe(12)
    add_user(store, "admin", Role.ADMIN, password, author="system")
    return None if given else password
