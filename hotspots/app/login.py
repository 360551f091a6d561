"""Login in the browser: the session cookie, the role and what it may do, the login form."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from hotspots.accounts import auth, sessions
from hotspots.app.session import K_COOKIE, K_EXPIRED, K_MUST_CHANGE, K_ROLE, K_TOKEN, K_USER, store, tr
from hotspots.base import settings
from hotspots.incidents import disclosure


@st.cache_resource
def _secret_for(folder: str) -> bytes:
    return sessions.secret_key(Path(folder))


def secret() -> bytes:
    """Return the cookie-signing secret of this installation (environment or data folder)."""
    return _secret_for(str(settings.data_dir(store().url)))


def _forget_login() -> None:
    for key in (K_USER, K_ROLE, K_TOKEN, K_MUST_CHANGE):
        st.session_state.pop(key, None)


def check_session() -> None:
    """Check this run's login against the store (called first by ``app.py`` on every run).

    The token comes from this session's state or, after a reload or in a new tab, from
    the signed cookie. The login holds only while :func:`hotspots.accounts.sessions.check` accepts
    it: the account exists, its credential version is unchanged and it was not idle too
    long. Otherwise the session is logged out and the login page says why.
    """
    token = st.session_state.get(K_TOKEN)
    if not token:
        cookie = st.context.cookies.get(sessions.COOKIE)
        token = sessions.unsign(cookie if isinstance(cookie, str) else None, secret())
    session = sessions.check(store(), token)
    if session is None:
        if st.session_state.get(K_TOKEN):
            st.session_state[K_EXPIRED] = True
        _forget_login()
        return
    st.session_state.update({K_TOKEN: session.token, K_USER: session.name, K_ROLE: session.role,
                             K_MUST_CHANGE: session.must_change})


def login(name: str, password: str) -> float | None:
    """Log in with a name and password (throttled in the store).

    Returns None when logged in, else the seconds to wait before the next try (0 for a
    plain wrong name or password).
    """
    result = sessions.login(store(), name, password, client=client_address())
    if result.session is None:
        return result.wait
    _remember(result.session.token)
    st.session_state.update({K_USER: result.session.name, K_ROLE: result.session.role,
                             K_MUST_CHANGE: result.session.must_change})
    st.session_state.pop(K_EXPIRED, None)
    return None


def client_address() -> str:
    """Return the address this browser connects from (through a trusted proxy: the one it names)."""
    peer = st.context.ip_address  # Streamlit gives None for a loopback peer (nginx beside the app)
    forwarded = ", ".join(st.context.headers.get_all("X-Forwarded-For"))
    return sessions.client_address(peer if isinstance(peer, str) else None, forwarded,
                                   trusted=settings.trusted_proxies())


def _remember(token: str) -> None:
    """Keep ``token`` in this session and (signed) in the browser's cookie."""
    st.session_state[K_TOKEN] = token
    st.session_state[K_COOKIE] = sessions.sign(token, secret())


def start_new_session() -> None:
    """Give this tab a fresh session after its own password change ended all the others."""
    name = user()
    if name is not None:
        _remember(sessions.start(store(), name))
        st.session_state[K_MUST_CHANGE] = False


def logout() -> None:
    """End every session of this account (all tabs and browsers) and clear the cookie."""
    name = user()
    if name is not None:
        sessions.end_all(store(), name)
    _forget_login()
    st.session_state[K_COOKIE] = ""


def _cookie_script(value: str) -> str:
    """Return the script that writes (or, for ``""``, clears) the session cookie in the app's page."""
    age = settings.SESSION_MAX_HOURS * 3600 if value else 0
    return ("<script>(function(){var d=window.parent.document;"
            f"var c={json.dumps(sessions.COOKIE)}+'='+{json.dumps(value)}+'; Path=/; SameSite=Strict; Max-Age={age}';"
            "if(window.parent.location.protocol==='https:'){c+='; Secure';}d.cookie=c;})();</script>")


def sync_cookie() -> None:
    """Write the pending cookie in the browser (a 1-pixel ``st.iframe``; no-op when none).

    ``st.iframe`` replaces the deprecated ``st.components.v1.html``; its HTML runs in a
    same-origin frame, so the script reaches the app's page (``window.parent``).
    """
    value = st.session_state.get(K_COOKIE)
    if value is not None:
        st.iframe(_cookie_script(str(value)), height=1, tab_index=-1)


def role() -> str | None:
    """Return the role of the logged-in account, or None for a visitor."""
    value = st.session_state.get(K_ROLE)
    return str(value) if value else None


def must_change_password() -> bool:
    """Return whether the logged-in account still has a one-time password to change."""
    return bool(st.session_state.get(K_MUST_CHANGE)) and user() is not None


def can(permission: str) -> bool:
    """Return whether this session may do ``permission`` (see :data:`hotspots.accounts.auth.PERMISSIONS`)."""
    return not must_change_password() and auth.can(role(), permission)


def login_form() -> None:
    """Draw the login form; on success rerun the script (the same page, now logged in)."""
    with st.form("login_form"):
        name = st.text_input(tr("login_user"), key="login_name", max_chars=40)
        password = st.text_input(tr("login_password"), type="password", key="login_password", max_chars=200)
        submitted = st.form_submit_button(tr("login_button"))
    if submitted:
        wait = login(name, password)
        if wait is None:
            st.rerun()
        elif wait > 0:
            st.error(tr("login_locked", seconds=int(wait) + 1))
        else:
            st.error(tr("login_failed"))


def require(permission: str) -> str:
    """Stop the page unless the session has ``permission``.

    A visitor gets a login form, a role without the permission a translated refusal.

    Returns the account name (the author of any write) when allowed. The login is
    checked against the store again here, right before any write the page may do.
    """
    check_session()
    if user() is None:
        if st.session_state.pop(K_EXPIRED, False):
            st.warning(tr("login_ended"))
        st.info(tr("login_needed"))
        login_form()
        st.stop()
    if not can(permission):
        st.error(tr("err_permission"))
        st.stop()
    return str(user())


def user() -> str | None:
    """Return the name of the logged-in account, or None."""
    value = st.session_state.get(K_USER)
    return str(value) if value else None


def sees_incident_points() -> bool:
    """Return whether this session may see incident points (analysts, staff, admin)."""
    return disclosure.sees_points(role())
