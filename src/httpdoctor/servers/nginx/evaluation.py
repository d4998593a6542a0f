"""The request ``why --nginx`` asks about and the answer it gives, as immutable data.

Vocabularies are closed (``StrEnum``) so that renderers map each value to an en/ru message;
``detail`` fields carry the technical particulars (a name, a URI, a value), never prose.
Every string that nginx would put on the wire is given as nginx would send it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from httpdoctor.i18n import Lang
from httpdoctor.servers.nginx.model import SourceSpan
from httpdoctor.servers.nginx.reasons import Reason

__all__ = [
    "Decision",
    "Evaluation",
    "Handler",
    "LocationChoice",
    "LocationMatch",
    "NginxRequest",
    "Outcome",
    "Response",
    "ServerChoice",
    "ServerWhy",
    "Step",
    "Unsupported",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class NginxRequest:
    """One request as it reaches nginx.

    ``host`` is the ``Host`` header as sent (None: no header); ``path_and_query`` the
    request target as sent (origin form, ``/path?query``). ``local_address`` /
    ``local_port`` name the listen socket that accepted the connection; when the address
    is None the port alone must identify one listen socket. ``headers`` are the other
    request headers (not ``Host``). ``remote_address`` feeds ``$remote_addr`` (None:
    unknown, so a config using it is reported unsupported).
    """

    method: str = "GET"
    scheme: str = "http"
    host: str | None = None
    path_and_query: str = "/"
    local_address: str | None = None
    local_port: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    http_version: str = "1.1"
    remote_address: str | None = None

    def __post_init__(self) -> None:
        if self.scheme not in ("http", "https"):
            raise ValueError(f"scheme must be http or https, not {self.scheme!r}")
        if self.http_version not in ("1.0", "1.1"):
            raise ValueError(f"http_version must be 1.0 or 1.1, not {self.http_version!r}")

    @property
    def port(self) -> int:
        """The local port: as given, else the scheme's default."""
        if self.local_port is not None:
            return self.local_port
        return 443 if self.scheme == "https" else 80


class ServerWhy(StrEnum):
    """Why a ``server {}`` block was chosen (nginx: ``ngx_http_find_virtual_server``)."""

    EXACT_NAME = "exact-name"
    LEADING_WILDCARD = "leading-wildcard"
    TRAILING_WILDCARD = "trailing-wildcard"
    REGEX_NAME = "regex-name"
    DEFAULT_SERVER = "default-server"  # no name matched; listen ... default_server
    FIRST_ON_SOCKET = "first-on-socket"  # no name matched; implicit default = first


class LocationMatch(StrEnum):
    """How a ``location`` matched the URI (nginx: ``ngx_http_core_find_location``)."""

    EXACT = "exact"  # location = /uri
    PREFIX_NO_REGEX = "prefix-no-regex"  # location ^~ /prefix (regexes skipped)
    LONGEST_PREFIX = "longest-prefix"  # no regex matched after it
    REGEX = "regex"  # location ~ re
    REGEX_CASELESS = "regex-caseless"  # location ~* re
    NAMED = "named"  # location @name, reached by error_page
    NONE = "none"  # no location matched: the server's own configuration answers


class Outcome(StrEnum):
    """What one executed directive did."""

    MATCHED = "matched"  # a regex or location matched
    NOT_MATCHED = "not-matched"
    TRUE = "true"  # if (...) was true: its block runs, its configuration applies
    FALSE = "false"
    SET = "set"
    REWRITTEN = "rewritten"  # rewrite changed the URI and processing goes on
    LAST = "last"  # rewrite ... last: location search again
    BREAK = "break"  # rewrite ... break / break: stop the rewrite directives
    REDIRECT = "redirect"  # a redirect response is produced
    RETURN = "return"  # a response or an error status is produced
    INTERNAL_REDIRECT = "internal-redirect"  # error_page to a URI or @name
    ERROR_PAGE = "error-page"  # error_page to a URL
    CYCLE = "cycle"  # rewrite or internal redirection cycle: 500
    HANDLER = "handler"  # a content handler takes the request
    SELECTED = "selected"  # a server or location chosen


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerChoice:
    """The ``server {}`` block that answers, with why (``detail``: the name that matched)."""

    span: SourceSpan
    why: ServerWhy
    detail: str
    name: str  # the primary server_name ($server_name)


@dataclass(frozen=True, slots=True, kw_only=True)
class LocationChoice:
    """The final ``location`` (None in Evaluation when the server level answered)."""

    span: SourceSpan
    match: LocationMatch
    text: str  # e.g. "location ~* \\.php$"
    uri: str  # the URI it was matched against


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One directive nginx executed (or one decision it took), in execution order."""

    span: SourceSpan
    directive: str
    outcome: Outcome
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """What nginx sends: status, the ``Location`` as sent, and the ``add_header`` fields.

    ``closes_connection``: ``return 444`` sends nothing and closes the connection.
    """

    status: int
    location: str | None
    headers: tuple[tuple[str, str], ...] = ()
    closes_connection: bool = False

    def header(self, name: str) -> str | None:
        """The first value of an added header (case-insensitive), or None."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Handler:
    """The content handler the request ends in when no response was produced earlier.

    ``kind``: ``static`` (root/alias files), ``proxy_pass``, ``fastcgi_pass``,
    ``uwsgi_pass``, ``scgi_pass``, ``grpc_pass``, ``memcached_pass`` … ``target``: the
    upstream as written, or for ``static`` the file path nginx would look up.
    """

    kind: str
    target: str
    span: SourceSpan | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """The directive that decided the outcome."""

    span: SourceSpan
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Unsupported:
    """A construct the evaluator does not model; the answer stops there, unguessed.

    ``why`` is the refusal as a catalogue key and its fields (see :mod:`.reasons`), so a
    renderer words it in the reader's language; ``reason`` is its English text, the one
    the JSON output carries.
    """

    span: SourceSpan | None
    directive: str
    why: Reason

    @property
    def reason(self) -> str:
        return self.why.text(Lang.EN)

    def reason_in(self, lang: Lang) -> str:
        return self.why.text(lang)


@dataclass(frozen=True, slots=True, kw_only=True)
class Evaluation:
    """The full answer. ``unsupported`` non-empty means the answer may be incomplete:
    evaluation stopped at the first construct it could not model (``response`` and
    ``handler`` are then None)."""

    request: NginxRequest
    server: ServerChoice | None
    location: LocationChoice | None
    steps: tuple[Step, ...]
    response: Response | None
    handler: Handler | None
    decided_by: Decision | None
    unsupported: tuple[Unsupported, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unsupported
