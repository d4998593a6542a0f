"""More hand-written differential groups: return forms, relative Location, error_page,
add_header, if, map, captures, the 10-change limit, TLS (see :mod:`tests.nginx_hand_cases`).
"""

from __future__ import annotations

from tests.nginx_cases import Group, Req
from tests.nginx_hand_cases_rules import RULE_GROUPS, TLS

__all__ = ["MORE_GROUPS"]

L80 = "listen {{addr}}:80"


RETURNS = Group(
    name="3.3-return-forms",
    servers=f"""
server {{
    {L80}; server_name site.test;
    location /u {{ return https://only.test/$uri; }}
    location /s {{ return $scheme://s.test$request_uri; }}
    location /r301 {{ return 301 https://x.test/p; }}
    location /rel {{ return 302 relative-target; }}
    location /slash {{ return 302 /abs$uri; }}
    location /text303 {{ return 303 "text-not-url"; }}
    location /t307 {{ return 307 /tmp; }}
    location /t308 {{ return 308 /perm; }}
    location /e404 {{ return 404; }}
    location /e404t {{ return 404 "custom\\n"; }}
    location /ok {{ return 200; }}
    location /nc {{ return 204; }}
    location /tea {{ return 418; }}
    location /close {{ return 444; }}
    location /empty301 {{ return 301; }}
    location /e500 {{ return 500; }}
    location /e503t {{ return 503 "busy"; }}
    location /r300 {{ return 300 "choices"; }}
    location /post {{ return 307 /post-target; }}
}}
""",
    requests=(
        *(
            Req(path=p)
            for p in (
                "/u/return-url-only",
                "/s/a?b=c",
                "/r301",
                "/rel",
                "/slash/x?q",
                "/text303",
                "/t307",
                "/t308",
                "/e404",
                "/e404t",
                "/ok",
                "/nc",
                "/tea",
                "/close",
                "/empty301",
                "/e500",
                "/e503t",
                "/r300",
            )
        ),
        Req(path="/post", method="POST"),
        Req(path="/r301", method="HEAD"),
    ),
)

RELATIVE_LOCATION = Group(
    name="3.4-relative-location-made-absolute",
    servers=f"""
server {{
    {L80}; server_name loc.test alias.test;
    location /plain {{ return 301 /target; }}
    location /off {{ absolute_redirect off; return 301 /target; }}
    location /noport {{ port_in_redirect off; return 301 /target; }}
    location /sn {{ server_name_in_redirect on; return 301 /target; }}
    location /rw {{ rewrite ^ /target redirect; }}
}}
server {{
    listen {{{{addr}}}}:8080; server_name loc.test;
    location /plain {{ return 301 /target; }}
    location /noport {{ port_in_redirect off; return 301 /target; }}
    location /sn {{ server_name_in_redirect on; return 302 /target; }}
}}
server {{
    {TLS} server_name site.test alias.test;
    location /plain {{ return 301 /target; }}
    location /sn {{ server_name_in_redirect on; return 301 /target; }}
}}
""",
    requests=(
        Req(path="/plain", host="loc.test"),
        Req(path="/plain", host="Loc.Test:9999"),
        Req(path="/plain", host=None, version="1.0"),
        Req(path="/off", host="loc.test"),
        Req(path="/noport", host="loc.test"),
        Req(path="/sn", host="alias.test"),
        Req(path="/rw?x=1", host="loc.test"),
        Req(path="/plain", host="a.t.test:9999", port=8080),
        Req(path="/noport", host="loc.test", port=8080),
        Req(path="/sn", host="other.test", port=8080),
        Req(path="/plain", host=None, version="1.0", port=8080),
        Req(path="/plain", host="site.test", port=443, tls=True),
        Req(path="/sn", host="alias.test", port=443, tls=True),
        Req(path="/plain", host="site.test", port=443),
    ),
)

ERROR_PAGES = Group(
    name="5-error-page",
    servers=f"""
server {{
    {L80}; server_name site.test;
    error_page 404 /nf;
    error_page 403 =200 /ok-target;
    error_page 500 502 =301 https://errors.test/oops;
    error_page 410 https://gone.test/$uri;
    error_page 418 @teapot;
    error_page 301 /from-301;
    location /ep2 {{ return 404; }}
    location /forbid {{ return 403; }}
    location /boom {{ return 500; }}
    location /gone {{ return 410; }}
    location /tea {{ return 418; }}
    location /moved {{ return 301 /elsewhere; }}
    location /nf {{ return 200 "not found page"; }}
    location /ok-target {{ return 302 /target-redirect; }}
    location /from-301 {{ return 200 "intercepted"; }}
    location @teapot {{ return 302 /named-$uri; }}
    location /own {{ error_page 404 =302 /own-target; return 404; }}
    location /own-target {{ return 200 "own"; }}
    location /inherit-none {{ error_page 503 /x; return 404; }}
    location /twice {{ return 404; }}
    location /loop-ep {{ error_page 404 /loop-ep2; return 404; }}
    location /loop-ep2 {{ return 404; }}
    location /rec {{ recursive_error_pages on; error_page 404 /rec2; return 404; }}
    location /rec2 {{
        recursive_error_pages on;
        error_page 404 =303 https://rec.test/;
        return 404;
    }}
    location /method {{ return 404; }}
    location / {{ return 404; }}
}}
""",
    requests=(
        *(
            Req(path=p)
            for p in (
                "/ep2",
                "/forbid",
                "/boom",
                "/gone",
                "/tea",
                "/moved",
                "/own",
                "/inherit-none",
                "/loop-ep",
                "/rec",
                "/nothing?x=1",
            )
        ),
        Req(path="/method", method="POST"),
        Req(path="/method", method="HEAD"),
    ),
)

CYCLES = Group(
    name="3.1-ten-uri-changes-then-500",
    servers=f"""
server {{
    {L80}; server_name site.test;
    location ~ ^/c(\\d+)$ {{
        set $n $1;
        if ($n = 12) {{ return 200 "reached"; }}
        rewrite ^ /step$n last;
    }}
    location ~ ^/step(\\d+)$ {{ rewrite ^/step(\\d+)$ /c$1x last; }}
    location ~ ^/c(\\d+)x$ {{ rewrite ^/c(\\d+)x$ /c$1y last; }}
    location /loop {{ error_page 500 /never; rewrite ^ /loop2 last; }}
    location /loop2 {{ rewrite ^ /loop last; }}
    location = /ten {{ rewrite ^ /t1 last; }}
    location /t {{ rewrite ^/t(\\d+)$ /u$1 last; }}
    location /u {{ return 302 /done$uri; }}
}}
""",
    requests=(Req(path="/loop"), Req(path="/ten"), Req(path="/t3")),
)

CHAIN = Group(
    name="3.1-chain-of-ten-last-rewrites",
    servers=f"""
server {{
    {L80}; server_name site.test;
    location = /c1 {{ rewrite ^ /c2 last; }}
    location = /c2 {{ rewrite ^ /c3 last; }}
    location = /c3 {{ rewrite ^ /c4 last; }}
    location = /c4 {{ rewrite ^ /c5 last; }}
    location = /c5 {{ rewrite ^ /c6 last; }}
    location = /c6 {{ rewrite ^ /c7 last; }}
    location = /c7 {{ rewrite ^ /c8 last; }}
    location = /c8 {{ rewrite ^ /c9 last; }}
    location = /c9 {{ rewrite ^ /c10 last; }}
    location = /c10 {{ rewrite ^ /c11 last; }}
    location = /c11 {{ rewrite ^ /c12 last; }}
    location = /c12 {{ return 302 /end; }}
    location = /e1 {{ error_page 404 /e2; return 404; }}
    location = /e2 {{ rewrite ^ /c4 last; }}
}}
""",
    requests=(*(Req(path=f"/c{n}") for n in (1, 2, 3, 12)), Req(path="/e1")),
)

PLAIN_TO_TLS = Group(
    name="5-plain-http-to-the-https-port",
    servers=f"""
server {{ {TLS} server_name site.test; error_page 497 =301 https://$host$request_uri; return 200; }}
server {{
    listen {{{{addr}}}}:8443 ssl;
    ssl_certificate {{{{cert:site.test}}}}; ssl_certificate_key {{{{key:site.test}}}};
    server_name site.test;
    add_header Strict-Transport-Security "max-age=9" always;
    return 200;
}}
""",
    requests=(
        Req(path="/a?b", port=443),
        Req(path="/a", port=443, tls=True),
        Req(path="/p", port=8443),
        Req(path="/p", port=8443, tls=True),
    ),
)

VARIABLES = Group(
    name="4-variables-in-redirects",
    servers=f"""
server {{
    {L80}; server_name primary.test site.test;
    location /host {{ return 302 https://$host/h; }}
    location /http_host {{ return 302 https://$http_host/h; }}
    location /sn {{ return 302 https://$server_name/h; }}
    location /ru {{ return 302 https://x.test$request_uri; }}
    location /uri {{ return 302 https://x.test$uri$is_args$args; }}
    location /arg {{ return 302 /a-$arg_foo-$arg_bar; }}
    location /misc {{ return 302 /$scheme-$https-$server_port-$request_method; }}
    location /hdr {{ return 302 /h-$http_x_custom_header; }}
    location /proto {{ return 302 "/p $server_protocol"; }}
}}
server {{ {L80}; server_name ~^(?<name>.+)\\.regex\\.test$; return 302 https://$server_name/; }}
server {{ {L80} default_server; server_name _; return 302 https://$server_name$request_uri; }}
""",
    requests=(
        Req(path="/host", host="Site.Test:8080"),
        Req(path="/http_host", host="Site.Test:8080"),
        Req(path="/sn", host="site.test"),
        Req(path="/ru/a%20b/../c?x=%41"),
        Req(path="/uri/a%20b/../c?x=%41"),
        Req(path="/uri/a%0d%0a"),
        Req(path="/arg?foo=1&BAR=2&foo=3"),
        Req(path="/arg?xfoo=1&foo"),
        Req(path="/misc", method="POST"),
        Req(path="/misc", method="HEAD"),
        Req(path="/hdr", headers=(("X-Custom-Header", "v1"),)),
        Req(path="/hdr"),
        Req(path="/proto"),
        Req(path="/x", host="a.regex.test"),
        Req(path="/y?z", host="catch.test"),
        Req(path="/host", host="primary.test", version="1.0"),
    ),
)

MORE_GROUPS = (
    RETURNS,
    RELATIVE_LOCATION,
    ERROR_PAGES,
    *RULE_GROUPS,
    CYCLES,
    CHAIN,
    PLAIN_TO_TLS,
    VARIABLES,
)
