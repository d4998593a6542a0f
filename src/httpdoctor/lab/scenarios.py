"""The classic failures, as data. Each runs on loopback with `httpdoctor lab run NAME`."""

from __future__ import annotations

from httpdoctor.i18n import LocalText
from httpdoctor.lab.model import Host, Reply, Scenario, Variant

__all__ = ["SCENARIOS", "scenario_named"]

_HTML = (("Content-Type", "text/html; charset=utf-8"),)
_PARENT_POLICY = "max-age=31536000; includeSubDomains"


def _page(text: str) -> Reply:
    body = f"<!doctype html><title>{text}</title><p>{text}</p>\n".encode()
    return Reply(status=200, headers=_HTML, body=body)


def _redirect(status: int, location: str, *extra: tuple[str, str]) -> Reply:
    return Reply(status=status, headers=(("Location", location), *extra))


def _text(en: str, ru: str) -> LocalText:
    return LocalText(en=en, ru=ru)


_PARENT = Host(
    name="site.test",
    slot=0,
    http=(("*", _redirect(301, "https://site.test/")),),
    https=(
        (
            "*",
            Reply(
                status=200,
                headers=(*_HTML, ("Strict-Transport-Security", _PARENT_POLICY)),
                body=b"<p>site.test</p>",
            ),
        ),
    ),
    cert_for=("site.test",),
)
_SUB_HTTP = (("*", _page("info.site.test over plain http")),)

SEED_307 = Scenario(
    name="seed-307",
    summary=_text(
        "A parent domain's HSTS includeSubDomains makes the browser upgrade a subdomain whose server has no certificate for it.",
        "HSTS с includeSubDomains у родительского домена заставляет браузер переводить на https поддомен, у сервера которого нет для него сертификата.",
    ),
    url="http://info.site.test/",
    prime=("https://site.test/",),
    expected=frozenset({"hsts-upgrade-to-broken-https"}),
    variants=(
        Variant(
            name="wrong-cert",
            summary=_text(
                "On 443 the VPS shows its panel's default certificate, for another name.",
                "На 443 VPS отдаёт сертификат панели по умолчанию, выданный на другое имя.",
            ),
            hosts=(
                _PARENT,
                Host(
                    name="info.site.test",
                    slot=1,
                    http=_SUB_HTTP,
                    https=(("*", Reply(status=500)),),
                    cert_for=("panel.vps.test",),
                ),
            ),
        ),
        Variant(
            name="error-500",
            summary=_text(
                "The certificate is right, but the https virtual host answers 500.",
                "Сертификат верный, но виртуальный хост https отвечает 500.",
            ),
            hosts=(
                _PARENT,
                Host(
                    name="info.site.test",
                    slot=1,
                    http=_SUB_HTTP,
                    https=(("*", Reply(status=500, headers=_HTML, body=b"<h1>500</h1>")),),
                    cert_for=("info.site.test",),
                ),
            ),
        ),
        Variant(
            name="no-https",
            summary=_text(
                "Nothing listens on port 443 of the VPS.",
                "На порту 443 VPS ничего не слушает.",
            ),
            hosts=(_PARENT, Host(name="info.site.test", slot=1, http=_SUB_HTTP, https=None)),
        ),
    ),
)


def _one(name: str, summary: LocalText, hosts: tuple[Host, ...]) -> tuple[Variant, ...]:
    return (Variant(name=name, summary=summary, hosts=hosts),)


POST_301 = Scenario(
    name="post-301",
    summary=_text(
        "A form posts to an address that answers 301: the browser repeats it as GET and the data is lost.",
        "Форма отправляется на адрес, отвечающий 301: браузер повторяет запрос как GET, и данные теряются.",
    ),
    url="http://site.test/contact",
    method="POST",
    data="name=Ann&message=hello",
    expected=frozenset({"post-redirected-as-get"}),
    variants=_one(
        "trailing-slash",
        _text(
            "The old address lacks a trailing slash.",
            "В старом адресе нет завершающей косой черты.",
        ),
        (
            Host(
                name="site.test",
                slot=0,
                http=(
                    ("/contact", _redirect(301, "/contact/")),
                    ("/contact/", Reply(status=405, headers=_HTML, body=b"<p>GET not allowed</p>")),
                ),
            ),
        ),
    ),
)

PROXY_SCHEME_LOOP = Scenario(
    name="proxy-scheme-loop",
    summary=_text(
        "A CDN in Flexible SSL mode talks http to the origin, which keeps redirecting to https.",
        "CDN в режиме Flexible SSL ходит к origin по http, а origin снова и снова перенаправляет на https.",
    ),
    url="https://site.test/",
    expected=frozenset({"redirect-loop", "proxy-scheme-loop"}),
    variants=_one(
        "flexible",
        _text(
            "Every https request comes back as a redirect to itself.",
            "Каждый https-запрос получает редирект сам на себя.",
        ),
        (
            Host(
                name="site.test",
                slot=0,
                http=(("*", _redirect(301, "https://site.test/", ("Server", "cloudflare"))),),
                https=(
                    (
                        "*",
                        _redirect(
                            301,
                            "https://site.test/",
                            ("Server", "cloudflare"),
                            ("CF-RAY", "8c0ffee000000000-AMS"),
                        ),
                    ),
                ),
                cert_for=("site.test",),
            ),
        ),
    ),
)

WWW_PING_PONG = Scenario(
    name="www-ping-pong",
    summary=_text(
        "The server forces www, the application forces the bare domain: the browser bounces between them.",
        "Сервер требует www, приложение — домен без www: браузер мечется между ними.",
    ),
    url="http://site.test/",
    expected=frozenset({"redirect-loop", "canonical-host-ping-pong"}),
    variants=_one(
        "panel-vs-cms",
        _text(
            "A panel rule and a CMS setting disagree.",
            "Правило панели и настройка CMS противоречат друг другу.",
        ),
        (
            Host(name="site.test", slot=0, http=(("*", _redirect(301, "http://www.site.test/")),)),
            Host(name="www.site.test", slot=0, http=(("*", _redirect(301, "http://site.test/")),)),
        ),
    ),
)

LONG_CHAIN = Scenario(
    name="long-chain",
    summary=_text(
        "Six redirects in a row before the page: slow for people, costly for crawlers.",
        "Шесть перенаправлений подряд до страницы: медленно для людей и дорого для поисковых роботов.",
    ),
    url="http://site.test/old",
    expected=frozenset({"redirect-chain-too-long"}),
    variants=_one(
        "migrations",
        _text("Each site migration added a hop.", "Каждый переезд сайта добавил ещё один шаг."),
        (
            Host(
                name="site.test",
                slot=0,
                http=(
                    ("/old", _redirect(301, "/2019/")),
                    ("/2019/", _redirect(301, "/2020/")),
                    ("/2020/", _redirect(301, "/2021/")),
                    ("/2021/", _redirect(301, "/2022/")),
                    ("/2022/", _redirect(301, "/2023/")),
                    ("/2023/", _redirect(301, "/new/")),
                    ("/new/", _page("the page at last")),
                ),
            ),
        ),
    ),
)

HSTS_MISCONFIGURED = Scenario(
    name="hsts-misconfigured",
    summary=_text(
        "HSTS is sent only on the plain-http redirect, where browsers ignore it; https has none.",
        "HSTS отправляется только в ответе-редиректе по обычному http, где браузеры его игнорируют; по https его нет.",
    ),
    url="http://site.test/",
    expected=frozenset(
        {"hsts-header-over-http", "hsts-missing", "temporary-redirect-for-permanent-move"}
    ),
    variants=_one(
        "header-on-http",
        _text(
            "The header was added to the wrong server block.",
            "Заголовок добавлен не в тот блок server.",
        ),
        (
            Host(
                name="site.test",
                slot=0,
                http=(
                    (
                        "*",
                        _redirect(
                            302,
                            "https://site.test/",
                            ("Strict-Transport-Security", "max-age=31536000"),
                        ),
                    ),
                ),
                https=(("*", _page("site.test over https")),),
                cert_for=("site.test",),
            ),
        ),
    ),
)

META_REFRESH = Scenario(
    name="meta-refresh",
    summary=_text(
        "An old page moves visitors on with a meta refresh instead of a server redirect.",
        "Старая страница переводит посетителей дальше через meta refresh вместо серверного редиректа.",
    ),
    url="http://site.test/old-page",
    expected=frozenset({"meta-refresh-redirect"}),
    variants=_one(
        "html-refresh",
        _text("The CMS left a stub page behind.", "CMS оставила страницу-заглушку."),
        (
            Host(
                name="site.test",
                slot=0,
                http=(
                    (
                        "/old-page",
                        Reply(
                            status=200,
                            headers=_HTML,
                            body=b'<!doctype html><meta http-equiv="refresh" content="0; url=/new-page"><p>Moved.</p>',
                        ),
                    ),
                    ("/new-page", _page("new page")),
                ),
            ),
        ),
    ),
)

SCENARIOS: tuple[Scenario, ...] = (
    SEED_307,
    POST_301,
    PROXY_SCHEME_LOOP,
    WWW_PING_PONG,
    LONG_CHAIN,
    HSTS_MISCONFIGURED,
    META_REFRESH,
)


def scenario_named(name: str) -> Scenario:
    from httpdoctor.errors import UsageError

    for scenario in SCENARIOS:
        if scenario.name == name:
            return scenario
    raise UsageError(
        f"no lab scenario called {name!r}",
        hint="`httpdoctor lab list` shows them: " + ", ".join(s.name for s in SCENARIOS),
    )
