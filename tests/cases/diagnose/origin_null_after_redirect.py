"""origin-null-after-redirect: a POST whose Origin became null on a cross-origin redirect
and was refused, and the chains that only look like it."""

from __future__ import annotations

from dataclasses import replace

from tests.diagnose_builders import chain, hop, hsts_hop, subject

FORM = b"item=42&qty=1"
PAGE = "https://shop.test/cart"


def _sent(origin: str | None, referer: str | None = PAGE) -> tuple[tuple[str, str], ...]:
    headers = [("Content-Type", "application/x-www-form-urlencoded")]
    if referer is not None:
        headers.append(("Referer", referer))
    if origin is not None:
        headers.append(("Origin", origin))
    return tuple(headers)


POSITIVE = [
    # The founding case: the canonical-host 308 keeps the POST, Origin turns null, Django
    # says 403; curl -L, without an Origin, gets through.
    subject(
        chain(
            hop(
                "https://shop.test/checkout",
                308,
                method="POST",
                body=FORM,
                request_headers=_sent("https://shop.test"),
                location="https://www.shop.test/checkout",
            ),
            hop(
                "https://www.shop.test/checkout",
                403,
                method="POST",
                body=FORM,
                request_headers=_sent("null", "https://shop.test/"),
            ),
            referrer=PAGE,
        ),
        curl=chain(
            hop(
                "https://shop.test/checkout",
                308,
                method="POST",
                body=FORM,
                location="https://www.shop.test/checkout",
            ),
            hop("https://www.shop.test/checkout", 200, method="POST", body=FORM),
            profile="curl",
        ),
    ),
    # An http page whose form posts over http; the app's 307 to https alone taints it,
    # and Rails answers 422.
    subject(
        chain(
            hop(
                "http://shop.test/checkout",
                307,
                method="POST",
                body=FORM,
                request_headers=_sent("http://shop.test", "http://shop.test/cart"),
                location="https://shop.test/checkout",
            ),
            hop(
                "https://shop.test/checkout",
                422,
                method="POST",
                body=FORM,
                request_headers=_sent("null", "http://shop.test/cart"),
            ),
            referrer="http://shop.test/cart",
        )
    ),
    # Laravel: a same-origin slash redirect first (Origin still the page's), then the
    # login moves to another host, then one more same-origin hop; 419 at the end.
    subject(
        chain(
            hop(
                "https://app.test/login",
                307,
                method="POST",
                body=FORM,
                request_headers=_sent("https://app.test", "https://app.test/"),
                location="https://app.test/login/",
            ),
            hop(
                "https://app.test/login/",
                307,
                method="POST",
                body=FORM,
                request_headers=_sent("https://app.test", "https://app.test/"),
                location="https://auth.app.test/login/",
            ),
            hop(
                "https://auth.app.test/login/",
                308,
                method="POST",
                body=FORM,
                request_headers=_sent("null", "https://app.test/"),
                location="https://auth.app.test/session",
            ),
            hop(
                "https://auth.app.test/session",
                419,
                method="POST",
                body=FORM,
                request_headers=_sent("null", "https://app.test/"),
            ),
            referrer="https://app.test/",
        )
    ),
    # Only the port changes; ASP.NET Core-like 400, and curl ends otherwise (a 403).
    subject(
        chain(
            hop(
                "https://shop.test/api/order",
                307,
                method="PUT",
                body=b"{}",
                request_headers=(("Origin", "https://shop.test"),),
                location="https://shop.test:8443/api/order",
            ),
            hop(
                "https://shop.test:8443/api/order",
                400,
                method="PUT",
                body=b"{}",
                request_headers=(("Origin", "null"),),
            ),
        ),
        curl=chain(
            hop(
                "https://shop.test/api/order",
                307,
                method="PUT",
                body=b"{}",
                location="https://shop.test:8443/api/order",
            ),
            hop("https://shop.test:8443/api/order", 403, method="PUT", body=b"{}"),
            profile="curl",
        ),
    ),  # The page is on http and the browser knows HSTS for the form's host: its own
    # upgrade to https is the cross-origin step, and the POST arrives with Origin null.
    subject(
        chain(
            replace(
                hsts_hop("http://shop.test/checkout", source="shop.test"),
                request=replace(
                    hop("http://shop.test/checkout", 200).request,
                    method="POST",
                    body=FORM,
                    headers=_sent("http://shop.test", "http://shop.test/cart"),
                ),
            ),
            hop(
                "https://shop.test/checkout",
                403,
                method="POST",
                body=FORM,
                request_headers=_sent("null", "http://shop.test/"),
            ),
            referrer="http://shop.test/cart",
        ),
    ),
]

NEGATIVE = [
    # The same chain, and the final URL accepts the POST: nothing refused.
    subject(
        chain(
            hop(
                "https://shop.test/checkout",
                308,
                method="POST",
                body=FORM,
                request_headers=_sent("https://shop.test"),
                location="https://www.shop.test/checkout",
            ),
            hop(
                "https://www.shop.test/checkout",
                200,
                method="POST",
                body=FORM,
                request_headers=_sent("null", "https://shop.test/"),
            ),
            referrer=PAGE,
        )
    ),
    # No page given (no -e): no Origin at all, whatever refuses the POST, it is not null.
    subject(
        chain(
            hop(
                "https://shop.test/checkout",
                308,
                method="POST",
                body=FORM,
                location="https://www.shop.test/checkout",
            ),
            hop("https://www.shop.test/checkout", 403, method="POST", body=FORM),
        )
    ),
    # A same-origin 307 ending 403: the Origin is still the page's.
    subject(
        chain(
            hop(
                "https://shop.test/checkout",
                307,
                method="POST",
                body=FORM,
                request_headers=_sent("https://shop.test"),
                location="https://shop.test/checkout/",
            ),
            hop(
                "https://shop.test/checkout/",
                403,
                method="POST",
                body=FORM,
                request_headers=_sent("https://shop.test"),
            ),
            referrer=PAGE,
        )
    ),
    # An opaque page (a sandboxed frame): Origin null from the first request on.
    subject(
        chain(
            hop(
                "https://shop.test/checkout",
                308,
                method="POST",
                body=FORM,
                request_headers=(("Origin", "null"),),
                location="https://www.shop.test/checkout",
            ),
            hop(
                "https://www.shop.test/checkout",
                403,
                method="POST",
                body=FORM,
                request_headers=(("Origin", "null"),),
            ),
        )
    ),
    # A 302 turned the POST into a GET on the other host: no Origin on the refused request.
    subject(
        chain(
            hop(
                "https://shop.test/checkout",
                302,
                method="POST",
                body=FORM,
                request_headers=_sent("https://shop.test"),
                location="https://www.shop.test/checkout",
            ),
            hop("https://www.shop.test/checkout", 403, request_headers=(("Referer", PAGE),)),
            referrer=PAGE,
        )
    ),
    # Null from a same-origin redirect's Referrer-Policy: no-referrer, not from a crossing.
    subject(
        chain(
            hop(
                "https://shop.test/checkout",
                307,
                ("Referrer-Policy", "no-referrer"),
                method="POST",
                body=FORM,
                request_headers=_sent("https://shop.test"),
                location="https://shop.test/checkout/",
            ),
            hop(
                "https://shop.test/checkout/",
                403,
                method="POST",
                body=FORM,
                request_headers=(("Origin", "null"),),
            ),
            referrer=PAGE,
        )
    ),
    # 401 after the crossing: an authentication challenge, not a forgery check.
    subject(
        chain(
            hop(
                "https://shop.test/checkout",
                308,
                method="POST",
                body=FORM,
                request_headers=_sent("https://shop.test"),
                location="https://www.shop.test/checkout",
            ),
            hop(
                "https://www.shop.test/checkout",
                401,
                method="POST",
                body=FORM,
                request_headers=_sent("null", "https://shop.test/"),
            ),
            referrer=PAGE,
        )
    ),
]
