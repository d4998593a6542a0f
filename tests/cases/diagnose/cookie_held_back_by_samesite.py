"""cookie-held-back-by-samesite: a callback sets the session, SameSite keeps it off the
next request of a navigation another site started, and the flow ends logged out; and the
chains that only look like it."""

from __future__ import annotations

from httpdoctor.trace.model import DroppedHeader, Hop
from tests.diagnose_builders import chain, held_cookie, hop, subject

IDP = "https://idp.test/login"
FORM = b"code=1"


_SAME_SITE = {"Strict": "strict", "Lax": "lax", "Lax by default": ""}


def _held(cookie: str, kind: str, method: str = "GET", page: str = IDP) -> DroppedHeader:
    """A dropped Cookie as the tracer notes it; ``kind`` as its reason words SameSite."""
    return held_cookie(cookie, _SAME_SITE[kind], page=page, method=method)


def _callback(
    cookie: str = "session=1; Path=/; Secure; HttpOnly; SameSite=Strict",
    *,
    status: int = 302,
    location: str = "https://app.test/home",
    method: str = "POST",
) -> Hop:
    return hop(
        "https://app.test/callback",
        status,
        ("Set-Cookie", cookie),
        method=method,
        body=FORM if method == "POST" else None,
        location=location,
    )


def _home(status: int, location: str | None = None, *held: DroppedHeader) -> Hop:
    return hop(
        "https://app.test/home",
        status,
        location=location,
        dropped=held or (_held("session", "Strict"),),
    )


POSITIVE = [
    # The founding case: the IdP's page posts the code back, /callback sets the session
    # Strict and 302s to /home, which without it sends the visitor to /login.
    subject(
        chain(
            _callback(),
            _home(302, "https://app.test/login"),
            hop("https://app.test/login", 200, dropped=(_held("session", "Strict"),)),
            referrer=IDP,
        )
    ),
    # A GET callback (the provider redirected back), and /home sends the visitor back to
    # the provider, which would send them back again; a second cookie held back too.
    subject(
        chain(
            hop(
                "https://app.test/callback?code=1",
                302,
                ("Set-Cookie", "session=1; Path=/; SameSite=Strict"),
                ("Set-Cookie", "csrftoken=x; Path=/; SameSite=Strict"),
                location="https://app.test/home",
            ),
            _home(
                302,
                "https://idp.test/authorize?client_id=app",
                _held("session", "Strict"),
                _held("csrftoken", "Strict"),
            ),
            hop("https://idp.test/authorize?client_id=app", 200),
            referrer="https://idp.test/",
        )
    ),
    # Lax on a POST continuation: the callback 307s the POST on, Lax stays off it, and
    # Laravel answers 419.
    subject(
        chain(
            _callback(
                "laravel_session=a; path=/; httponly; samesite=lax",
                status=307,
                location="https://app.test/finish",
            ),
            hop(
                "https://app.test/finish",
                419,
                method="POST",
                body=FORM,
                dropped=(_held("laravel_session", "Lax", "POST"),),
            ),
            referrer=IDP,
        )
    ),
    # A payment page on another site returns the buyer; /orders is an API answering 401.
    subject(
        chain(
            _callback(method="GET", location="https://app.test/orders"),
            hop(
                "https://app.test/orders",
                401,
                dropped=(_held("session", "Strict", page="https://pay.test/checkout"),),
            ),
            referrer="https://pay.test/checkout",
        )
    ),
    # Same domain, other scheme: an http page counts as another site; /home crashes (500).
    subject(
        chain(
            _callback("sid=1; Domain=app.test; SameSite=Strict"),
            hop(
                "https://www.app.test/home",
                500,
                dropped=(_held("sid", "Strict", page="http://app.test/"),),
            ),
            referrer="http://app.test/",
        )
    ),
    # A login page that sets the session and loops: the tracer gave up on the cycle.
    subject(
        chain(
            _callback(method="GET", location="https://app.test/home"),
            _home(302, "https://app.test/start"),
            hop(
                "https://app.test/start",
                302,
                location="https://app.test/home",
                dropped=(_held("session", "Strict"),),
            ),
            _home(302, "https://app.test/start"),
            outcome="too-many-redirects",
            referrer=IDP,
        )
    ),
    # The flow detours to a sibling host and back; the tracer stops the cycle before
    # /home's redirect repeats, so only the loop itself says how it ended.
    subject(
        chain(
            _callback(method="GET", location="https://app.test/home"),
            _home(302, "https://sso.app.test/check"),
            hop("https://sso.app.test/check", 302, location="https://app.test/home"),
            outcome="redirect-loop",
            loop=("https://app.test/home", "https://sso.app.test/check"),
            referrer=IDP,
        )
    ),
    # A cookie without SameSite (Lax by default) still rides on the 308'd POST to a slow
    # step; by the next 308 its two minutes are over, and the state check answers 400.
    subject(
        chain(
            _callback("state=abc; Path=/", status=308, location="https://app.test/step"),
            hop(
                "https://app.test/step",
                308,
                method="POST",
                body=FORM,
                location="https://app.test/finish",
                request_headers=(("Cookie", "state=abc"),),
            ),
            hop(
                "https://app.test/finish",
                400,
                method="POST",
                body=FORM,
                dropped=(_held("state", "Lax by default", "POST"),),
            ),
            referrer=IDP,
        )
    ),
    # Django: the CSRF cookie set Strict at the callback is missing from the next step,
    # which answers 403.
    subject(
        chain(
            _callback(
                "csrftoken=t; Path=/; SameSite=Strict",
                status=303,
                location="https://app.test/confirm",
            ),
            hop(
                "https://app.test/confirm",
                403,
                dropped=(_held("csrftoken", "Strict"),),
            ),
            referrer=IDP,
        )
    ),
]

NEGATIVE = [
    # The founding chain typed in without -e: no page, nothing held back, the session
    # would have gone; the /login at the end is someone else's story.
    subject(
        chain(
            _callback(),
            hop("https://app.test/home", 302, location="https://app.test/login"),
            hop("https://app.test/login", 200),
        )
    ),
    # Held back, but the flow never needed it: /home answers 200.
    subject(chain(_callback(), _home(200), referrer=IDP)),
    # A Lax cookie on a cross-site GET: sent, nothing held back, even though the chain
    # then goes to /login for a reason of its own.
    subject(
        chain(
            _callback("session=1; Path=/; SameSite=Lax"),
            hop(
                "https://app.test/home",
                302,
                location="https://app.test/login",
                request_headers=(("Cookie", "session=1"),),
            ),
            hop("https://app.test/login", 200, request_headers=(("Cookie", "session=1"),)),
            referrer=IDP,
        )
    ),
    # Held back, but no hop of this chain set it (a jar filled elsewhere).
    subject(
        chain(
            hop(
                "https://app.test/callback",
                302,
                method="POST",
                body=FORM,
                location="https://app.test/home",
            ),
            _home(302, "https://app.test/login"),
            referrer=IDP,
        )
    ),
    # The same name set by the provider's host, not by app.test: not this flow's cookie.
    subject(
        chain(
            hop(
                "https://idp.test/continue",
                302,
                ("Set-Cookie", "session=9; SameSite=Strict"),
                location="https://app.test/home",
            ),
            _home(302, "https://app.test/login"),
            referrer=IDP,
        )
    ),
    # The callback deletes the cookie (a logout): nothing the flow meant to keep.
    subject(
        chain(
            _callback("session=; Max-Age=0; Path=/; SameSite=Strict"),
            _home(302, "https://app.test/login"),
            referrer=IDP,
        )
    ),
    # Held back and then a 404: a missing page is no sign of a missing session.
    subject(chain(_callback(), _home(404), referrer=IDP)),
]
