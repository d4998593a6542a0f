"""Bring a scenario's servers up on loopback, and describe how to reach them."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from httpdoctor.errors import UsageError
from httpdoctor.fetch.resolve import ResolveRule
from httpdoctor.lab.model import Host, Reply, Scenario, Variant
from httpdoctor.lab.server import Listener, ServerGroup

__all__ = ["LabRun", "running"]

_FIRST_ADDRESS = 100  # 127.0.0.100 and up: clear of the test harness's 127.0.0.10+
_HIGH_PORTS = (18080, 18443)


@dataclass(frozen=True, slots=True, kw_only=True)
class LabRun:
    """A running scenario: where each host lives and how a client gets there."""

    scenario: Scenario
    variant: Variant
    addresses: dict[int, str]
    http_port: int
    https_port: int
    ca_path: str
    rules: tuple[ResolveRule, ...]

    @property
    def standard_ports(self) -> bool:
        return (self.http_port, self.https_port) == (80, 443)

    def address_of(self, host: str) -> str:
        return next(self.addresses[h.slot] for h in self.variant.hosts if h.name == host)

    def cli_flags(self) -> list[str]:
        flag = "--resolve" if self.standard_ports else "--connect-to"
        out = []
        for rule in self.rules:
            target = f":{rule.target_port}" if not self.standard_ports else ""
            out.append(f"{flag} {rule.host}:{rule.port}:{rule.address}{target}")
        return [*out, f"--cacert {self.ca_path}"]

    def browser_flag(self) -> str:
        maps = ", ".join(f"MAP {h.name} {self.addresses[h.slot]}" for h in self.variant.hosts)
        return f"--host-resolver-rules={maps}"


def _free(address: str, ports: tuple[int, ...]) -> bool:
    for port in ports:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((address, port))
            except OSError:
                return False
    return True


def _ports() -> tuple[int, int]:
    """80/443 when this process may bind them (root, or the capability), else high ports."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", 0))
            probe.close()
            test = socket.socket()
            try:
                test.bind(("127.0.0.254", 80))
            finally:
                test.close()
        except PermissionError:
            return _HIGH_PORTS
        except OSError:
            pass  # busy, but allowed
    return 80, 443


def _addresses(slots: int, ports: tuple[int, int]) -> dict[int, str]:
    chosen: dict[int, str] = {}
    for last in range(_FIRST_ADDRESS, 254):
        if len(chosen) == slots:
            break
        address = f"127.0.0.{last}"
        if _free(address, ports):
            chosen[len(chosen)] = address
    if len(chosen) < slots:
        raise UsageError.of("lab.no_addresses")
    return chosen


def _server_context(hosts: list[Host], workdir: str, ca: object) -> ssl.SSLContext:
    contexts: dict[str, ssl.SSLContext] = {}
    for host in hosts:
        names = host.cert_for or (host.name,)
        leaf = ca.issue_cert(*names)  # type: ignore[attr-defined]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.set_alpn_protocols(["http/1.1"])
        leaf.configure_cert(context)
        contexts[host.name] = context
    default = contexts[hosts[0].name]

    def choose(sock: ssl.SSLObject, server_name: str | None, _: ssl.SSLContext) -> None:
        # Per-name certificates on one address, as a panel's default vhost works.
        if server_name and server_name.lower() in contexts:
            sock.context = contexts[server_name.lower()]

    default.sni_callback = choose
    return default


def _listeners(
    variant: Variant, addresses: dict[int, str], ports: tuple[int, int], ca: object, workdir: str
) -> list[Listener]:
    listeners = []
    for slot, address in addresses.items():
        hosts = [h for h in variant.hosts if h.slot == slot]
        plain = {h.name: h.http for h in hosts if h.http is not None}
        if plain:
            listeners.append(Listener(address=address, port=ports[0], tls=None, hosts=plain))
        secure_hosts = [h for h in hosts if h.https is not None]
        if secure_hosts:
            secure: dict[str, tuple[tuple[str, Reply], ...]] = {
                h.name: h.https for h in secure_hosts if h.https is not None
            }
            context = _server_context(secure_hosts, workdir, ca)
            listeners.append(Listener(address=address, port=ports[1], tls=context, hosts=secure))
    return listeners


@contextmanager
def running(scenario: Scenario, variant_name: str | None = None) -> Iterator[LabRun]:
    """Start the scenario's servers; they stop when the block ends, whatever happens."""
    import trustme

    variant = scenario.variants[0]
    if variant_name is not None:
        names = [v.name for v in scenario.variants]
        if variant_name not in names:
            raise UsageError.of(
                "lab.unknown_variant",
                scenario=scenario.name,
                variant=variant_name,
                names=", ".join(names),
            )
        variant = scenario.variants[names.index(variant_name)]
    ports = _ports()
    addresses = _addresses(1 + max(h.slot for h in variant.hosts), ports)
    workdir = tempfile.mkdtemp(prefix="httpdoctor-lab-")
    ca = trustme.CA(organization_name="httpdoctor lab")
    ca_path = os.path.join(workdir, "lab-ca.pem")
    ca.cert_pem.write_to_path(ca_path)
    rules = tuple(
        ResolveRule(host=h.name, port=standard, address=addresses[h.slot], target_port=actual)
        for h in variant.hosts
        for standard, actual in ((80, ports[0]), (443, ports[1]))
    )
    group = ServerGroup(_listeners(variant, addresses, ports, ca, workdir))
    try:
        group.start()
        yield LabRun(
            scenario=scenario,
            variant=variant,
            addresses=addresses,
            http_port=ports[0],
            https_port=ports[1],
            ca_path=ca_path,
            rules=rules,
        )
    finally:
        group.stop()
        shutil.rmtree(workdir, ignore_errors=True)
