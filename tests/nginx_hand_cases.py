"""Hand-written differential groups: one or more per semantics rule of
``shared/reference/nginx-semantics.md`` (section numbers in the names). Requests
deliberately include the cases where intuition and nginx part ways.
"""

from __future__ import annotations

from tests.nginx_cases import Group, Req
from tests.nginx_hand_cases_more import MORE_GROUPS

__all__ = ["HAND_GROUPS"]

L80 = "listen {{addr}}:80"

SERVER_NAMES = Group(
    name="1.3-server-name-precedence",
    servers=f"""
server {{ {L80}; server_name ~^(?<sub>[a-z]+)\\.ex\\.test$; return 200 "regex"; }}
server {{ {L80}; server_name www.ex.*; return 301 /trail-$host; }}
server {{ {L80}; server_name *.ex.test; return 301 /lead-$host; }}
server {{ {L80}; server_name www.ex.test; return 301 /exact-$host; }}
server {{ {L80}; server_name *.b.ex.test; return 301 /longer-lead; }}
server {{ {L80}; server_name .dot.test; return 301 /dot-$host; }}
server {{ {L80}; server_name ~^r(\\d+)\\.num\\.test$ ~^.*\\.num\\.test$; return 302 /num-$1; }}
server {{ {L80}; server_name ~^(?<first>[a-z]+)\\.cap\\.test$; return 302 /$first/$server_name; }}
server {{ {L80}; server_name ~^EXAMPLE\\.CAPS$; return 302 /caps; }}
server {{ {L80} default_server; server_name _; return 302 /default-$host; }}
""",
    requests=(
        Req(host="www.ex.test"),
        Req(host="a.ex.test"),
        Req(host="a.b.ex.test"),
        Req(host="x.b.ex.test"),
        Req(host="www.ex.org"),
        Req(host="WWW.EX.TEST."),
        Req(host="www.ex.test:8080"),
        Req(host="dot.test"),
        Req(host="a.dot.test"),
        Req(host="r42.num.test"),
        Req(host="zz.num.test"),
        Req(host="acme.cap.test"),
        Req(host="example.caps"),
        Req(host="nothing.test"),
        Req(host="_"),
        Req(host=None, version="1.0"),
        Req(host=None),
        Req(host="bad..host"),
        Req(host="bad/host"),
        Req(host=""),
    ),
)

DEFAULT_IS_FIRST = Group(
    name="1.1-implicit-default-is-the-first-server",
    servers=f"""
server {{ {L80}; server_name first.test; return 302 /first; }}
server {{ {L80}; server_name second.test; return 302 /second; }}
server {{ listen {{{{addr}}}}:8080; server_name other-port.test; return 302 /p8080; }}
server {{ listen {{{{addr}}}}:8080 default_server; server_name flagged.test; return 302 /flag; }}
""",
    requests=(
        Req(host="none.test"),
        Req(host="second.test"),
        Req(host="first.test", port=8080),
        Req(host="other-port.test", port=8080),
        Req(host="second.test", port=8080),
        Req(host=None, version="1.0", port=8080),
    ),
)

EMPTY_NAME = Group(
    name="1.2-empty-server-name-catches-requests-without-host",
    servers=f"""
server {{ {L80}; server_name site.test; return 302 /site; }}
server {{ {L80}; server_name ""; return 302 /no-host; }}
""",
    requests=(Req(host=None, version="1.0"), Req(host="other.test"), Req(host=None)),
)

LOCATIONS = Group(
    name="2-location-precedence",
    servers=f"""
server {{
    {L80}; server_name site.test;
    location = /exact {{ return 302 /was-exact; }}
    location /exact {{ return 302 /was-prefix-exact; }}
    location /docs/ {{
        location ~ \\.pdf$ {{ return 302 /nested-pdf$uri; }}
        location /docs/deep/ {{ return 302 /nested-prefix; }}
        return 302 /docs-prefix;
    }}
    location ^~ /pfx/ {{ return 302 /caret$uri; }}
    location ~ \\.(pdf|jpg)$ {{ return 302 /regex-ext; }}
    location ~* \\.PNG$ {{ return 302 /caseless-png; }}
    location ~ ^/order {{ return 302 /first-regex; }}
    location ~ ^/order/two {{ return 302 /second-regex; }}
    location /long/prefix/ {{ return 302 /longest; }}
    location /long/ {{ return 302 /shorter; }}
    location ~ /deep/ {{ return 302 /regex-beats-nested-prefix; }}
    location / {{ return 302 /root; }}
}}
""",
    requests=tuple(
        Req(path=p)
        for p in (
            "/exact",
            "/exact/",
            "/exactly",
            "/docs/a.pdf",
            "/docs/a.jpg",
            "/docs/x",
            "/docs/deep/x",
            "/docs/deep/x.pdf",
            "/pfx/a.pdf",
            "/pfx/",
            "/a/b.JPG",
            "/a/b.png",
            "/a/b.PNG",
            "/order/two",
            "/order",
            "/long/prefix/x",
            "/long/x",
            "/long",
            "/a/../docs/x",
            "//docs%2Fx.pdf",
            "/%64ocs/x",
            "/docs/./x",
            "/x/..",
            "/../x",
            "/a%zz",
            "/docs/a.pdf?x=1",
            "/deep/",
        )
    ),
)

AUTO_SLASH = Group(
    name="2-prefix-with-proxy-pass-redirects-the-slashless-uri",
    servers=f"""
server {{
    {L80}; server_name site.test;
    add_header X-Frame-Options DENY;
    location /api/ {{
        proxy_pass http://127.0.0.1:9;
        add_header Strict-Transport-Security "max-age=1";
    }}
    location /app/ {{ fastcgi_pass 127.0.0.1:9; }}
    location /exact-too {{ return 302 /shadow; }}
    location /exact-too/ {{ proxy_pass http://127.0.0.1:9; }}
    location / {{ return 302 /root; }}
}}
""",
    requests=(
        Req(path="/api"),
        Req(path="/api?x=1"),
        Req(path="/app"),
        Req(path="/exact-too"),
        Req(path="/ap"),
    ),
)

REWRITES = Group(
    name="3.2-rewrite-flags-and-arguments",
    servers=f"""
server {{
    {L80}; server_name site.test;
    location /old/ {{ rewrite ^/old/(.*)$ /new/$1 last; }}
    location /new/ {{ return 302 /got$uri?$args; }}
    location /perm {{ rewrite ^ /target permanent; }}
    location /redir {{ rewrite ^ /target redirect; }}
    location /abs-last {{ rewrite ^ http://other.test/p last; }}
    location /abs-break {{ rewrite ^ https://other.test/p break; }}
    location /scheme {{ rewrite ^ $scheme://x.test/; }}
    location /keepargs {{ rewrite ^ /target?x=1 permanent; }}
    location /dropargs {{ rewrite ^ /target? permanent; }}
    location /abs {{ rewrite ^/abs/(.*)$ https://elsewhere.test/$1; }}
    location /chain {{
        rewrite ^/chain(.*)$ /hop1$1;
        rewrite ^/hop1(.*)$ /hop2$1;
        return 302 $uri;
    }}
    location /noflag {{ rewrite ^/noflag(.*)$ /new$1; }}
    location /named {{ rewrite ^/named/(?<part>[a-z]+)/(\\d+)$ /new/$part-$2 last; }}
    location /esc/ {{ rewrite ^/esc/(.*)$ http://x.test/$1 redirect; }}
    location /escq/ {{ rewrite ^/escq/(.*)$ /new/q?v=$1 last; }}
    location /lit {{ rewrite ^ http://x.test/%41%2f%20b?c=%41 redirect; }}
    location /varesc {{ rewrite ^ https://x.test$request_uri permanent; }}
    location /zero {{ rewrite ^ /new/z?$1 last; }}
    location /srv-b {{ return 302 /srv-b-location$uri; }}
    location /target {{ return 302 /t$is_args$args; }}
    location / {{ return 302 /root; }}
}}
""",
    requests=tuple(
        Req(path=p)
        for p in (
            "/old/a/b?q=1",
            "/perm?z=1",
            "/redir",
            "/abs-last",
            "/abs-break",
            "/scheme",
            "/keepargs?a=1",
            "/keepargs",
            "/dropargs?a=1",
            "/abs/z?k=v",
            "/chain/x?y=1",
            "/noflag/u?k",
            "/named/abc/42",
            "/esc/a%20b",
            "/esc/a+b",
            "/esc/a%2Bb",
            "/esc/plain",
            "/esc/a%23b",
            "/escq/a%20b&c",
            "/escq/a+b?o=1",
            "/lit",
            "/lit?q=1",
            "/varesc/a%2Fb%20c?d=%2F",
            "/zero?k=v",
        )
    ),
)

SERVER_LEVEL = Group(
    name="3.1-server-level-rewrites-run-first",
    servers=f"""
server {{
    {L80}; server_name site.test;
    rewrite ^/srv-last(.*)$ /target$1 last;
    rewrite ^/srv-break/(.*)$ /target/$1 break;
    rewrite ^/srv-noflag/(.*)$ /target/nf-$1;
    if ($http_x_block = yes) {{ return 403; }}
    set $level server;
    location /target {{ return 302 /in-target$uri?$args&level=$level; }}
    location /srv-noflag/ {{ return 302 /not-reached; }}
    location / {{ return 302 /root$uri; }}
}}
""",
    requests=(
        Req(path="/srv-last?q=1"),
        Req(path="/srv-break/a"),
        Req(path="/srv-noflag/b"),
        Req(path="/x", headers=(("X-Block", "yes"),)),
        Req(path="/x"),
    ),
)

HAND_GROUPS: tuple[Group, ...] = (
    SERVER_NAMES,
    DEFAULT_IS_FIRST,
    EMPTY_NAME,
    LOCATIONS,
    AUTO_SLASH,
    REWRITES,
    SERVER_LEVEL,
    *MORE_GROUPS,
)
