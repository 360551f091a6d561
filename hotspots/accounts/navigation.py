"""The app's pages, in menu order, with the permission each needs; which ones a role's menu shows."""

from __future__ import annotations

from hotspots.accounts import auth
from hotspots.base.i18n import N_


#: Every page: file name (its URL), title key, icon, and the permission it needs (None: anyone).
#: Pages a role may not use are hidden from its menu; their URL still opens them and asks
#: for a login, or refuses a role without the permission.
PAGES: tuple[tuple[str, str, str, str | None], ...] = (
    ("map", N_("page_map"), ":material/map:", "view_map"),
    ("review", N_("page_review"), ":material/compare_arrows:", "view_review"),
    ("plan", N_("page_plan"), ":material/checklist:", "view_plan"),
    ("overview", N_("page_overview"), ":material/summarize:", "view_map"),
    ("incidents", N_("page_incidents"), ":material/local_police:", "view_map"),
    ("cameras", N_("page_cameras"), ":material/videocam:", "see_cameras"),  # every logged-in role
    ("cannabis", N_("page_cannabis"), ":material/grass:", "view_map"),  # the public view of 1.9.3, for all
    ("add", N_("page_add"), ":material/add_location_alt:", "edit"),
    ("update", N_("page_update"), ":material/edit_location_alt:", "edit"),
    ("users", N_("page_users"), ":material/group:", "manage_users"),
    ("login", N_("page_login"), ":material/login:", None),
)


def in_menu(role: str | None, permission: str | None) -> bool:
    """Return whether a page needing ``permission`` shows in the menu of ``role`` (None: a visitor)."""
    return permission is None or permission.startswith("view_") or auth.can(role, permission)


def menu(role: str | None) -> list[str]:
    """Return the names of the pages the menu of ``role`` shows, in order.

    Examples
    --------
    >>> menu(None)
    ['map', 'review', 'plan', 'overview', 'incidents', 'cannabis', 'login']
    """
    return [name for name, _title, _icon, permission in PAGES if in_menu(role, permission)]
