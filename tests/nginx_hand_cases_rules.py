"""Hand-written differential groups for add_header, if, map, captures and the cases
nginx itself refuses to decide without the disk (see :mod:`tests.nginx_hand_cases`).
"""

from __future__ import annotations

from tests.nginx_cases import Group, Req

__all__ = ["RULE_GROUPS", "TLS"]

L80 = "listen {{addr}}:80"
TLS = """listen {{addr}}:443 ssl;
    ssl_certificate {{cert:site.test,alias.test,www.site.test}};
    ssl_certificate_key {{key:site.test,alias.test,www.site.test}};"""

HEADERS = Group(
    name="6-add-header-inheritance-and-always",
    http_extra="add_header X-From http;",
    servers=f"""
server {{
    {TLS} server_name site.test;
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    add_header X-Frame-Options DENY;
    location /inherit {{ return 200 "inherits"; }}
    location /inherit404 {{ return 404; }}
    location /inherit301 {{ return 301 /x; }}
    location /dropped {{ add_header X-Only yes; return 200 "dropped"; }}
    location /dropped404 {{ add_header X-Only yes always; return 404; }}
    location /iftest {{
        add_header X-Loc 1;
        add_header Strict-Transport-Security "max-age=1";
        if ($arg_a) {{ add_header X-If 1; }}
        return 200 "if";
    }}
    location /iffalse {{ if ($arg_nope) {{ add_header X-If 1; }} return 302 /f; }}
    location /nested {{
        add_header Strict-Transport-Security "max-age=2";
        location /nested/inner {{ return 200 "inner inherits max-age=2"; }}
        location /nested/own {{ add_header X-Own 1; return 200 "own"; }}
    }}
    location /srv-return {{ rewrite ^ /inherit last; }}
    location /to-dropped {{ rewrite ^ /dropped last; }}
    location /e500 {{ return 500; }}
    location /e204 {{ return 204; }}
    location /emptyval {{ add_header Strict-Transport-Security $arg_none always; return 200; }}
}}
server {{
    {L80}; server_name site.test;
    location / {{ return 301 https://$host$request_uri; }}
    location /hsts-plain {{ add_header Strict-Transport-Security "max-age=5" always; return 404; }}
}}
server {{
    listen {{{{addr}}}}:8080; server_name site.test;
    return 301 https://$host$request_uri;
}}
""",
    requests=(
        *(
            Req(path=p, host="site.test", port=443, tls=True)
            for p in (
                "/inherit",
                "/inherit404",
                "/inherit301",
                "/dropped",
                "/dropped404",
                "/iftest",
                "/iftest?a=1",
                "/iffalse",
                "/nested/inner",
                "/nested/own",
                "/srv-return",
                "/to-dropped",
                "/e500",
                "/e204",
                "/emptyval",
                "/emptyval?none=x",
            )
        ),
        Req(path="/x?y=1"),
        Req(path="/hsts-plain"),
        Req(path="/any", port=8080),
    ),
)

IFS = Group(
    name="3.5-if-conditions",
    servers=f"""
server {{
    {L80}; server_name site.test;
    location /eq {{ if ($arg_v = yes) {{ return 302 /eq-yes; }} return 302 /eq-no; }}
    location /ne {{ if ($arg_v != yes) {{ return 302 /ne-true; }} return 302 /ne-false; }}
    location /re {{
        if ($http_user_agent ~ ^Bot/(\\d+)) {{ return 302 /bot-$1; }}
        return 302 /human;
    }}
    location /rei {{ if ($http_user_agent ~* mobile) {{ return 302 /mobile; }} return 302 /desk; }}
    location /nre {{ if ($uri !~ \\.html$) {{ return 302 /not-html; }} return 302 /html; }}
    location /nrei {{ if ($uri !~* \\.HTML$) {{ return 302 /not-html-i; }} return 302 /html-i; }}
    location /truthy {{ if ($arg_v) {{ return 302 /truthy; }} return 302 /falsy; }}
    location /empty {{ if ($http_referer = "") {{ return 302 /no-referer; }} return 302 /referer; }}
    location /host {{ if ($host ~ ^(www\\.)?(.+)$) {{ return 301 https://$2$request_uri; }} }}
    location /named {{
        if ($args ~ "id=(?<id>\\d+)") {{ return 302 /item/$id; }}
        return 302 /none;
    }}
    location /set {{ set $a "x$arg_v"; if ($a = x1) {{ set $a one; }} return 302 /set-$a; }}
}}
""",
    requests=(
        Req(path="/eq?v=yes"),
        Req(path="/eq?v=YES"),
        Req(path="/eq"),
        Req(path="/ne?v=no"),
        Req(path="/ne?v=yes"),
        Req(path="/re", headers=(("User-Agent", "Bot/7 x"),)),
        Req(path="/re", headers=(("User-Agent", "curl"),)),
        Req(path="/rei", headers=(("User-Agent", "A MOBILE one"),)),
        Req(path="/rei"),
        Req(path="/nre/a.html"),
        Req(path="/nre/a.htm"),
        Req(path="/nrei/A.HTML"),
        Req(path="/truthy?v=0"),
        Req(path="/truthy?v=00"),
        Req(path="/truthy?v="),
        Req(path="/truthy?V=1"),
        Req(path="/empty"),
        Req(path="/empty", headers=(("Referer", "http://r.test/"),)),
        Req(path="/host?q", host="www.site.test"),
        Req(path="/named?x=1&id=42"),
        Req(path="/named?id=x"),
        Req(path="/set?v=1"),
        Req(path="/set?v=2"),
    ),
)

MAPS = Group(
    name="map-strings-regexes-hostnames",
    http_extra="""
map $uri $section {
    default         other;
    /Exact          exact-match;
    ~^/blog/(?<slug>[a-z]+)  blog-$slug;
    ~*^/IMG/        images;
    \\~tilde        literal-tilde;
}
map $http_host $tenant {
    hostnames;
    default           none;
    site.test         main;
    *.site.test       sub;
    .dot.test         dotted;
    www.site.*        www-any;
}
map $arg_lang $lang { default en; ru ru; "" none; }
map $uri $cached { default $uri; }
""",
    servers=f"""
server {{
    {L80}; server_name site.test *.site.test www.site.org dot.test x.dot.test;
    location /c {{ set $dummy $cached; rewrite ^ /d last; }}
    location /d {{ return 302 /cached-$cached; }}
    location / {{ return 302 /s-$section/t-$tenant/l-$lang; }}
}}
""",
    requests=(
        Req(path="/exact"),
        Req(path="/EXACT"),
        Req(path="/blog/post"),
        Req(path="/img/a"),
        Req(path="/Img/b"),
        Req(path="/~tilde"),
        Req(path="/x", host="a.site.test"),
        Req(path="/x", host="www.site.org"),
        Req(path="/x", host="dot.test"),
        Req(path="/x", host="x.dot.test"),
        Req(path="/x?lang=ru"),
        Req(path="/x?lang="),
        Req(path="/x?lang=de"),
        Req(path="/c"),
    ),
)

CAPTURES = Group(
    name="3.5-captures-are-the-last-match",
    servers=f"""
server {{
    {L80}; server_name site.test;
    location ~ ^/loc/(\\w+) {{
        if ($arg_x ~ ^(\\d+)$) {{ return 302 /if-$1; }}
        if ($arg_y ~ ^\\d+$) {{ return 302 /nogroup-$1; }}
        rewrite ^/loc/ /loc-rewritten/$1;
        return 302 /after-rewrite-$1;
    }}
    location ~ ^/fail/(\\w+) {{
        if ($arg_z ~ ^(\\d+)$) {{ return 302 /never; }}
        return 302 /cleared-$1;
    }}
    location ~ ^/many/(a)(b)(c)(d)(e)(f)(g)(h)(i)(j) {{ return 302 /$9-$12; }}
}}
""",
    requests=(
        Req(path="/loc/abc?x=12"),
        Req(path="/loc/abc?y=34"),
        Req(path="/loc/abc"),
        Req(path="/fail/abc?z=q"),
        Req(path="/many/abcdefghij"),
    ),
)

UNSUPPORTED = Group(
    name="unsupported-constructs-are-reported-not-guessed",
    servers=f"""
server {{
    {L80}; server_name site.test;
    root {{{{root}}}};
    location /file {{ if (-f $request_filename) {{ return 302 /exists; }} return 302 /missing; }}
    location /try {{ try_files $uri $uri/ =404; }}
    location /cookie {{ return 302 /c-$cookie_session; }}
    location /deny {{ deny all; }}
    location /static/ {{ }}
    location / {{ return 302 /root; }}
}}
server {{
    {L80}; server_name re.test;
    location ^~ /skip/ {{ return 302 /regexes-not-tested; }}
    location ~ "^/\\p{{L}}+$" {{ return 302 /letters; }}
    location / {{ return 302 /root; }}
}}
""",
    requests=(
        Req(path="/skip/x", host="re.test"),
        Req(path="/abc", host="re.test"),
        Req(path="/file"),
        Req(path="/try"),
        Req(path="/cookie"),
        Req(path="/static/x"),
        Req(path="/deny"),
        Req(path="/abc"),
        Req(path="/a%3Fb"),
    ),
)

STATE_ACROSS_REDIRECTS = Group(
    name="5-state-across-internal-redirects",
    servers=f"""
server {{
    {L80}; server_name ~^(?<tenant>[a-z]+)\\.t\\.test$ site.test;
    error_page 404 = /fallback;
    error_page 403 =410 /gone-page;
    location /keep {{ set $mark kept; return 404; }}
    location /fallback {{ return 302 /fb-$mark-$tenant-$request_method?$args; }}
    location /deny {{ return 403; }}
    location /gone-page {{ return 200 "gone"; }}
    location /args {{ set $args "a=1&b=2"; return 302 /args-$arg_b$is_args$args; }}
    location /tenant {{ return 302 https://$tenant.example/$1; }}
}}
""",
    requests=(
        Req(path="/keep?x=1", host="acme.t.test"),
        Req(path="/keep", host="acme.t.test", method="POST"),
        Req(path="/deny"),
        Req(path="/args?z=9"),
        Req(path="/tenant", host="beta.t.test"),
    ),
)

RULE_GROUPS = (HEADERS, IFS, MAPS, CAPTURES, STATE_ACROSS_REDIRECTS, UNSUPPORTED)
