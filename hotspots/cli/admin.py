"""The administrators' commands: accounts (passwords from stdin or a prompt, never an argument) and the database."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from hotspots.accounts import auth
from hotspots.cli.common import author_of, terminal_safe
from hotspots.db import migrate as db
from hotspots.plan.store import Store


def _read_password(confirm: bool = True) -> str:
    """Read a password from stdin (piped) or a hidden prompt; never from an argument."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if confirm and getpass.getpass("Again: ") != first:
        raise SystemExit("passwords differ")
    return first


def cmd_users_add(args: argparse.Namespace) -> int:
    """Create an account; the password is read from stdin or a prompt."""
    store = Store(args.db)
    store.create_schema()
    auth.add_user(store, args.name, args.role, _read_password(), author=author_of(args))
    print(f"account {args.name} ({args.role}) created")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    """List the accounts (names and roles, never hashes)."""
    store = Store(args.db, must_exist=True)
    store.create_schema()
    table = auth.list_users(store)
    print(terminal_safe(table.to_string(index=False)) if not table.empty else "no accounts")
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    """Remove an account (recorded in the history)."""
    auth.remove_user(Store(args.db, must_exist=True), args.name, author=author_of(args))
    print(f"account {args.name} removed")
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    """Set an account's password (read from stdin or a prompt)."""
    auth.set_password(Store(args.db, must_exist=True), args.name, _read_password(), author=author_of(args))
    print(f"password of {args.name} changed")
    return 0


def cmd_db_backup(args: argparse.Namespace) -> int:
    """Write a consistent copy of the database (SQLite online backup API; pg_dump for PostGIS)."""
    target = Store(args.db, must_exist=True).backup(Path(args.output))
    print(f"backup written to {target}")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    """Check the database's integrity; exit 1 and list the problems if it is not sound."""
    problems = Store(args.db, must_exist=True).integrity_problems()
    for line in problems:
        print(terminal_safe(line))
    print("ok" if not problems else f"{len(problems)} problems")
    return 0 if not problems else 1


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Bring the database's schema to this version's newest migration (nothing else changes)."""
    before, after = Store(args.db).create_schema()
    print(f"schema {before or 'new'} -> {after}")
    return 0


def cmd_db_copy(args: argparse.Namespace) -> int:
    """Copy the whole database (history and accounts included) into an empty one, verified."""
    source, target = Store(args.db, must_exist=True), Store(args.to)
    sums = db.copy(source.read_engine, target.write_engine)
    for name, (rows, digest) in sums.items():
        print(f"{name}\t{rows}\t{digest[:16]}")
    print(f"copied and verified: {sum(r for r, _ in sums.values())} rows in {len(sums)} tables")
    return 0
