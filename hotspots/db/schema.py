"""The schema: every table of the app on one :data:`META`, in one place.

Hotspots and their observations per review period, the plan's state, the history, the reviews,
accounts and login sessions, incidents, and the plan's other places (cameras, cannabis-risk zones,
schools). The migrations (:mod:`hotspots.db.migrate`) and the Alembic environment read the tables
here, so no migration imports a feature; each feature's store module reads and writes its own tables
through a connection.
"""

from __future__ import annotations

import sqlalchemy as sa


META = sa.MetaData()

HOTSPOTS = sa.Table(
    "hotspots", META,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("problem", sa.String(8), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_en", sa.Text, nullable=False, default=""),
    sa.Column("description", sa.Text, nullable=False, default=""),
    sa.Column("plan_unit", sa.Integer, nullable=True),
    sa.Column("activities", sa.Text, nullable=False, default=""),
    sa.Column("dataset", sa.String(10), nullable=False, default="real"),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
)

OBSERVATIONS = sa.Table(
    "observations", META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("hotspot_id", sa.String(40), sa.ForeignKey("hotspots.id"), nullable=False),
    sa.Column("period", sa.String(7), nullable=False),
    sa.Column("geometry_wkt", sa.Text, nullable=True),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("unit", sa.Integer, nullable=True),
    sa.Column("location_quality", sa.String(12), nullable=False),
    sa.Column("location_source", sa.Text, nullable=False, default=""),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("moved_from", sa.String(7), nullable=True),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
    sa.UniqueConstraint("hotspot_id", "period", name="one_observation_per_period"),
)

ACTIVITY_STATUS = sa.Table(
    "activity_status", META,
    sa.Column("activity_id", sa.String(12), primary_key=True),
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

PRIORITIES = sa.Table(
    "problem_priority", META,
    sa.Column("problem_id", sa.String(8), primary_key=True),
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("priority", sa.String(10), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

HISTORY = sa.Table(
    "history", META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("author", sa.String(80), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("entity", sa.String(20), nullable=False),
    sa.Column("entity_id", sa.String(60), nullable=False),
    sa.Column("period", sa.String(7), nullable=True),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=True),
)

REVIEWS = sa.Table(
    "reviews", META,
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("dataset", sa.String(10), primary_key=True),
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("reviewed", sa.Integer, nullable=False),
    sa.Column("due", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
    # the plan the review was closed under: its version and the last of its changes in force
    sa.Column("plan_version", sa.Integer, nullable=True),
    sa.Column("plan_change", sa.Integer, nullable=True),
)

USERS = sa.Table(
    "users", META,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("password_hash", sa.String(100), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    # bumped by a removal, a role change, a password change or a logout; a
    # session is valid only while it carries the account's current version
    sa.Column("cred_version", sa.Integer, nullable=False, default=1, server_default="1"),
    # a one-time password (first admin, an admin's reset) must be changed first
    sa.Column("must_change", sa.Boolean, nullable=False, default=False, server_default="0"),
)

#: Login sessions: the cookie holds a signed random token, the store its hash.
SESSIONS = sa.Table(
    "sessions", META,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(80), nullable=False, index=True),
    sa.Column("cred_version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_seen", sa.Float, nullable=False),
)

#: Failed-login counters per account and per client: a reload does not reset them.
LOGIN_THROTTLE = sa.Table(
    "login_throttle", META,
    sa.Column("key", sa.String(120), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_at", sa.Float, nullable=False),
    sa.Column("locked_until", sa.Float, nullable=False),
)

#: Incidents of the police: events (date, offence, place), never people.
INCIDENTS = sa.Table(
    "incidents", META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dataset", sa.String(10), nullable=False),
    sa.Column("row_key", sa.String(80), nullable=False),
    sa.Column("reference", sa.String(80), nullable=True),
    sa.Column("occurred_on", sa.String(10), nullable=False),
    sa.Column("occurred_at", sa.String(5), nullable=True),
    sa.Column("offence", sa.String(24), nullable=False),
    sa.Column("problem", sa.String(8), nullable=True),
    sa.Column("lon", sa.Float, nullable=True),
    sa.Column("lat", sa.Float, nullable=True),
    sa.Column("unit", sa.Integer, nullable=True),
    sa.Column("location_quality", sa.String(12), nullable=False),
    sa.Column("location_source", sa.Text, nullable=False, default=""),
    sa.Column("address", sa.Text, nullable=True),
    sa.Column("source", sa.Text, nullable=False, default=""),
    sa.Column("batch", sa.String(60), nullable=False),
    sa.Column("imported_at", sa.String(32), nullable=False),
    sa.Column("imported_by", sa.String(80), nullable=False),
    sa.UniqueConstraint("dataset", "row_key", name="one_incident_per_key"),
    sa.Index("ix_incidents_date", "occurred_on"),
    sa.Index("ix_incidents_lon_lat", "lon", "lat"),
)

CAMERAS = sa.Table(
    "cameras", META,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("owner", sa.String(12), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("radius_m", sa.Float, nullable=False),
    sa.Column("direction", sa.Float, nullable=True),
    sa.Column("angle", sa.Float, nullable=True),
    sa.Column("geometry_wkt", sa.Text, nullable=False),
    sa.Column("location_quality", sa.String(12), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("retired_at", sa.String(32), nullable=True),
    sa.Column("retired_reason", sa.Text, nullable=True),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

CANNABIS_ZONES = sa.Table(
    "cannabis_zones", META,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("admin_unit", sa.String(80), nullable=False),
    sa.Column("risk", sa.String(8), nullable=False),
    sa.Column("years", sa.String(80), nullable=False),
    sa.Column("geometry_wkt", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("retired_at", sa.String(32), nullable=True),
    sa.Column("retired_reason", sa.Text, nullable=True),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

SCHOOLS = sa.Table(
    "schools", META,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("geometry_wkt", sa.Text, nullable=False),
    sa.Column("location_quality", sa.String(12), nullable=False),
    sa.Column("activities", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("retired_at", sa.String(32), nullable=True),
    sa.Column("retired_reason", sa.Text, nullable=True),
    sa.Column("updated_at", sa.String(32), nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

#: The plan's versions: each adopted plan (the first from the folder's ``plan.yaml``), its
#: document as adopted (JSON of the ``plan.yaml`` shape) and the periods it is in force.
PLAN_VERSIONS = sa.Table(
    "plan_versions", META,
    sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("adopted_on", sa.String(10), nullable=False),
    sa.Column("meeting", sa.Text, nullable=False),
    sa.Column("first_period", sa.String(7), nullable=False),
    sa.Column("last_period", sa.String(7), nullable=False),
    sa.Column("based_on", sa.Integer, nullable=True),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
)

#: Amendments of a plan version, decided at a council meeting, in force from a period on.
PLAN_CHANGES = sa.Table(
    "plan_changes", META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("version", sa.Integer, sa.ForeignKey("plan_versions.number"), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("target", sa.String(16), nullable=False),
    sa.Column("effective_period", sa.String(7), nullable=False),
    sa.Column("meeting", sa.Text, nullable=False),
    sa.Column("decided_on", sa.String(10), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
)

#: The municipality this database (SQLite file, PostgreSQL schema) belongs to: one row.
MUNICIPALITY_OWNER = sa.Table(
    "municipality_owner", META,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("claimed_at", sa.String(32), nullable=False),
)

#: What each council published when it closed a review: active hotspots per unit and category.
#: In a PostgreSQL database shared by several municipalities it lives in ``public``, beside their
#: schemas, for the prefecture's (qark's) read-only roll-up; no place, name or note is in it.
PUBLISHED_COUNTS = sa.Table(
    "published_counts", META,
    sa.Column("municipality", sa.String(40), primary_key=True),
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("category", sa.String(20), primary_key=True),
    sa.Column("unit", sa.Integer, primary_key=True),
    sa.Column("qark", sa.String(80), nullable=False),
    sa.Column("unit_name", sa.Text, nullable=False),
    sa.Column("active", sa.Integer, nullable=False),
    sa.Column("published_at", sa.String(32), nullable=False),
    sa.Column("published_by", sa.String(80), nullable=False),
)
