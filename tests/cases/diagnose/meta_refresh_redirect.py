"""meta-refresh-redirect: pages that move visitors on by themselves, and pages that only
look as if they did (reloads, timeouts, <noscript>, comments, error pages, binary bodies)."""

from __future__ import annotations

from tests.diagnose_builders import chain, hop, subject

HTML = ("Content-Type", "text/html; charset=utf-8")


POSITIVE = [
    # The CMS stub: an instant refresh to a relative address.
    subject(
        chain(
            hop(
                "http://site.test/old-page",
                200,
                HTML,
                page=b'<!doctype html><meta http-equiv="refresh" content="0; url=/new-page">'
                b"<p>Moved.</p>",
            )
        )
    ),
    # After a server redirect; attribute order, case and quotes vary; a 5 s delay.
    subject(
        chain(
            hop("http://site.test/promo", 301, location="https://site.test/promo"),
            hop(
                "https://site.test/promo",
                200,
                HTML,
                page=b"<HTML><HEAD><!-- <meta http-equiv=refresh content=0;url=/x> -->"
                b"<META CONTENT=\"5;URL='https://shop.site.test/sale'\" HTTP-EQUIV='Refresh'>"
                b"</HEAD><body>Wait...</body></HTML>",
            ),
        )
    ),
    # A Refresh response header on a plain-text answer.
    subject(
        chain(
            hop(
                "https://site.test/download",
                200,
                ("Content-Type", "text/plain"),
                ("Refresh", "0;url=https://cdn.site.test/file.zip"),
                page=b"Your download starts now.",
            )
        )
    ),
    # No Content-Type, XHTML self-closing tag, a comma, a URL without "url=".
    subject(
        chain(
            hop(
                "http://site.test/a/b.html",
                200,
                page=b'<html xmlns="http://www.w3.org/1999/xhtml"><head>'
                b'<meta http-equiv="refresh" content="2, ../c.html" /></head></html>',
            )
        )
    ),
]

NEGATIVE = [
    # A news page that reloads itself every 5 minutes: no URL, not a redirect.
    subject(
        chain(
            hop(
                "https://site.test/live",
                200,
                HTML,
                page=b'<meta http-equiv="refresh" content="300">',
            )
        )
    ),
    # A refresh back to the very same page.
    subject(
        chain(
            hop(
                "https://site.test/status",
                200,
                HTML,
                page=b"<meta http-equiv='refresh' content='10; url=https://site.test/status'>",
            )
        )
    ),
    # Only for visitors without JavaScript, and one inside a comment.
    subject(
        chain(
            hop(
                "https://site.test/app",
                200,
                HTML,
                page=b'<head><noscript><meta http-equiv="refresh" content="0; url=/nojs">'
                b'</noscript><!-- <meta http-equiv="refresh" content="0; url=/old"> --></head>',
            )
        )
    ),
    # A session timeout after 15 minutes: a refresh, but no stand-in for a redirect.
    subject(
        chain(
            hop(
                "https://site.test/account",
                200,
                HTML,
                page=b'<meta http-equiv="refresh" content="900; url=/logout">',
            )
        )
    ),
    # The page is a 404: the error is someone else's business.
    subject(
        chain(
            hop(
                "https://site.test/gone",
                404,
                HTML,
                page=b'<meta http-equiv="refresh" content="0; url=/">',
            )
        )
    ),
    # Binary bodies that happen to contain the bytes, and a malformed content value.
    subject(
        chain(
            hop(
                "https://site.test/logo.png",
                200,
                ("Content-Type", "image/png"),
                page=b'\x89PNG\r\n\x1a\n\x00\xff<meta http-equiv="refresh" content="0; url=/x">',
            )
        )
    ),
    subject(
        chain(
            hop(
                "https://site.test/blob",
                200,
                page=b'\x00\x01\xfe<meta http-equiv="refresh" content="0; url=/x">\xff\xfe',
            )
        )
    ),
    subject(
        chain(
            hop(
                "https://site.test/odd",
                200,
                HTML,
                ("Refresh", "soon"),
                page=b'<meta http-equiv="refresh" content="now; url=/x">'
                b'<meta http-equiv="refresh">',
            )
        )
    ),
]
