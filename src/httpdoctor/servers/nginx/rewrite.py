"""The rewrite module's directives, executed in order (``rewrite``, ``return``, ``if``,
``set``, ``break``) [doc ngx_http_rewrite_module; src ngx_http_rewrite_module.c,
ngx_http_script.c].

* ``rewrite`` matches ``$uri``; a replacement starting with ``http://``, ``https://`` or
  ``$scheme`` is a 302 whatever the flag (``permanent`` makes it 301); a redirect's value
  is passed through ``ngx_unescape_uri(NGX_UNESCAPE_REDIRECT)``; a trailing ``?`` drops
  the original arguments, otherwise they are appended after ``?`` (or ``&`` when the
  replacement has a literal ``?``).
* ``if`` in a location, when true, switches the request to the if block's configuration
  (``add_header``, handlers ...); at server level it does not (``if_code->loc_conf`` is
  NULL there).
* ``return`` codes < 400 and any code with text are sent by ``ngx_http_send_response``;
  301/302/303/307/308 put their text in ``Location``; other codes ≥ 400 go to the
  error-page machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from httpdoctor.servers.nginx.evaluation import Outcome
from httpdoctor.servers.nginx.model import Directive
from httpdoctor.servers.nginx.regex import CompiledRegex, RegexUnsupported, compile_pcre
from httpdoctor.servers.nginx.variables import NotModelled, parse_script, render

if TYPE_CHECKING:
    from httpdoctor.servers.nginx.engine import Engine

__all__ = ["REWRITE_DIRECTIVES", "ScriptEnd", "directive_text", "run_script", "unescape_redirect"]

REWRITE_DIRECTIVES = frozenset({"rewrite", "return", "if", "set", "break"})
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_IGNORED = frozenset({"rewrite_log", "uninitialized_variable_warn"})


@dataclass(frozen=True, slots=True)
class ScriptEnd:
    """How a run of rewrite directives ended.

    ``kind``: ``fell-through`` (ran to the end), ``stopped`` (last/break), ``finalize``
    (``status`` goes to nginx's finaliser: errors, redirects) or ``send`` (a response with
    ``status`` is sent as is).
    """

    kind: str
    status: int = 0
    directive: Directive | None = None


def directive_text(directive: Directive) -> str:
    """The directive as it could be written back (quoting where nginx would need it)."""
    parts = [directive.name]
    for arg in directive.args:
        needs_quotes = arg == "" or any(c in arg for c in " \t\n;{}\"'#")
        parts.append(
            '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"' if needs_quotes else arg
        )
    if directive.name == "if":
        return f"if ({' '.join(parts[1:])})"
    return " ".join(parts) + ";"


def unescape_redirect(value: str) -> str:
    """``ngx_unescape_uri(..., NGX_UNESCAPE_REDIRECT)`` [src core/ngx_string.c]."""
    out: list[str] = []
    i, n = 0, len(value)
    hexdigits = "0123456789abcdefABCDEF"
    while i < n:
        char = value[i]
        if char == "?":
            out.append(value[i:])
            break
        if char != "%":
            out.append(char)
            i += 1
            continue
        first = value[i + 1] if i + 1 < n else ""
        if not first:
            break  # '%' at the end is dropped
        if first not in hexdigits:
            out.append(first)  # the '%' is dropped
            i += 2
            continue
        second = value[i + 2] if i + 2 < n else ""
        if not second or second not in hexdigits:
            i += 3  # "the invalid quoted character": all three dropped
            continue
        decoded = chr(int(first + second, 16))
        if decoded == "?" and not second.isdigit():
            out.append("?")
            out.append(value[i + 3 :])
            break
        if "%" < decoded < "\x7f":
            out.append(decoded)
        else:
            out.append(value[i : i + 3])
        i += 3
    return "".join(out)


def _regex(directive: Directive, pattern: str, caseless: bool = False) -> CompiledRegex:
    try:
        return compile_pcre(pattern, caseless)
    except RegexUnsupported as error:
        raise NotModelled.because(error.why, directive.span, directive.name) from None


def _rewrite(engine: Engine, directive: Directive) -> ScriptEnd | None:
    args = directive.args
    if len(args) not in (2, 3):
        raise NotModelled("directive.rewrite", directive.span, "rewrite")
    regex = _regex(directive, args[0])
    state = engine.state
    match = regex.compiled.search(state.uri)
    if match is None:
        state.captures = []
        engine.step(directive, Outcome.NOT_MATCHED, state.uri)
        return None
    state.record_match(match)
    replacement = args[1]
    flag = args[2] if len(args) == 3 else ""
    if flag not in ("", "last", "break", "redirect", "permanent"):
        raise NotModelled("directive.rewrite_flag", directive.span, "rewrite", flag=flag)
    redirect = replacement.startswith(("http://", "https://", "$scheme"))
    status = 301 if flag == "permanent" else 302
    redirect = redirect or flag in ("redirect", "permanent")
    add_args = not replacement.endswith("?")
    if not add_args:
        replacement = replacement[:-1]
    script = parse_script(replacement)
    has_query = any(p.kind == "text" and "?" in p.value for p in script.parts)
    if redirect:
        value, _ = render(script, engine.lookup, state, redirect=True)
        value = unescape_redirect(value)
        if add_args and state.args:
            value += ("&" if has_query else "?") + state.args
        engine.location_header = value
        engine.step(directive, Outcome.REDIRECT, f"{status} {value}")
        return ScriptEnd("finalize", status, directive)
    value, query = render(script, engine.lookup, state, split_args=True)
    if query is not None:
        if add_args and state.args:
            query += "&" + state.args
        state.args = query
    elif not add_args:
        state.args = ""
    if value == "":
        engine.step(directive, Outcome.RETURN, "the rewritten URI has a zero length")
        return ScriptEnd("finalize", 500, directive)
    state.uri = value
    state.internal = True
    shown = value + ("?" + state.args if state.args else "")
    if flag == "break":
        engine.uri_changed = False
        engine.step(directive, Outcome.BREAK, shown)
        return ScriptEnd("stopped", 0, directive)
    engine.uri_changed = True
    if flag == "last":
        engine.step(directive, Outcome.LAST, shown)
        return ScriptEnd("stopped", 0, directive)
    engine.step(directive, Outcome.REWRITTEN, shown)
    return None


def _return(engine: Engine, directive: Directive) -> ScriptEnd:
    args = directive.args
    text: str | None
    if len(args) == 1 and args[0].startswith(("http://", "https://", "$scheme")):
        code, text = 302, args[0]
    elif args and args[0].isdigit() and len(args) <= 2:
        code, text = int(args[0]), (args[1] if len(args) == 2 else None)
    else:
        raise NotModelled("directive.return", directive.span, "return")
    if code < 200 or code > 999:
        raise NotModelled("directive.return_code", directive.span, "return", code=code)
    if code >= 400 and text is None:
        engine.step(directive, Outcome.RETURN, str(code))
        return ScriptEnd("finalize", code, directive)
    value, _ = render(parse_script(text or ""), engine.lookup, engine.state)
    if code in REDIRECT_CODES:
        engine.location_header = value
        engine.step(directive, Outcome.REDIRECT, f"{code} {value}")
        return ScriptEnd("finalize", code, directive)
    engine.step(directive, Outcome.RETURN, str(code))
    return ScriptEnd("send", code, directive)


def _condition(engine: Engine, directive: Directive) -> bool:
    args = directive.args
    if not args:
        raise NotModelled("condition.empty", directive.span, "if")
    if args[0] in ("-f", "!-f", "-d", "!-d", "-e", "!-e", "-x", "!-x"):
        raise NotModelled("disk.file_test", directive.span, "if", test=args[0])
    if not args[0].startswith("$"):
        raise NotModelled("condition.form", directive.span, "if")
    left, _ = render(parse_script(args[0]), engine.lookup, engine.state)
    if len(args) == 1:
        return left not in ("", "0")
    if len(args) != 3:
        raise NotModelled("condition.form", directive.span, "if")
    operator, right = args[1], args[2]
    if operator in ("=", "!="):
        value, _ = render(parse_script(right), engine.lookup, engine.state)
        return (left == value) == (operator == "=")
    if operator in ("~", "~*", "!~", "!~*"):
        regex = _regex(directive, right, operator.endswith("*"))
        match = regex.compiled.search(left)
        if match is None:
            engine.state.captures = []
        else:
            engine.state.record_match(match)
        return (match is not None) != operator.startswith("!")
    raise NotModelled("condition.operator", directive.span, "if", operator=operator)


def _set(engine: Engine, directive: Directive) -> None:
    if len(directive.args) != 2 or not directive.args[0].startswith("$"):
        raise NotModelled("directive.set", directive.span, "set")
    name = directive.args[0][1:].lower()
    value, _ = render(parse_script(directive.args[1]), engine.lookup, engine.state)
    if name == "args":
        engine.state.args = value
    elif engine.is_builtin(name):
        raise NotModelled("directive.set_builtin", directive.span, "set", name=name)
    else:
        engine.state.variables[name] = value
    engine.step(directive, Outcome.SET, f"${name} = {value}")


def run_script(engine: Engine, block: Directive, *, location_level: bool) -> ScriptEnd:
    """Run the rewrite-module directives of ``block`` (a server, location or if)."""
    for directive in block.block or ():
        if directive.name in _IGNORED or directive.name not in REWRITE_DIRECTIVES:
            continue
        try:
            end = _execute(engine, directive, location_level)
        except NotModelled as error:
            raise error.at(directive) from None
        if end is not None:
            return end
    return ScriptEnd("fell-through")


def _execute(engine: Engine, directive: Directive, location_level: bool) -> ScriptEnd | None:
    name = directive.name
    if name == "rewrite":
        return _rewrite(engine, directive)
    if name == "return":
        return _return(engine, directive)
    if name == "break":
        engine.uri_changed = False
        engine.step(directive, Outcome.BREAK)
        return ScriptEnd("stopped", 0, directive)
    if name == "set":
        _set(engine, directive)
        return None
    if not _condition(engine, directive):
        engine.step(directive, Outcome.FALSE)
        return None
    engine.step(directive, Outcome.TRUE)
    if location_level:
        engine.enter_if(directive)
    end = run_script(engine, directive, location_level=location_level)
    return None if end.kind == "fell-through" else end
