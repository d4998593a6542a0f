"""The command line Chromium runs with under the recorder, and why each part is there.

* Host names go to loopback addresses with ``--host-resolver-rules``; every other name
  is NOTFOUND, so nothing tries to reach the internet.
* Every switch that upgrades http to https outside HSTS is pinned off (HTTPS-Upgrades,
  HTTPS-First Mode in all its flavours, DNS HTTPS records).
* Local Network Access checks are off, so loopback hosts are treated like public sites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

__all__ = [
    "BASE_SWITCHES",
    "DEFAULT_EXECUTABLE",
    "DISABLED_FEATURES",
    "LOOPBACK_AS_PUBLIC_FEATURES",
    "NO_AUTO_UPGRADE_FEATURES",
    "switches",
]

DEFAULT_EXECUTABLE: Final = "/usr/bin/chromium"

# Chromium keeps only the last ``--disable-features`` switch, and Playwright puts its own
# list first, so the one passed here must repeat Playwright's (1.65.2,
# server/chromium/chromiumSwitches.ts) and then add ours.
_PLAYWRIGHT_DISABLED_FEATURES: Final = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
)
# Everything that would turn http:// into https:// for a reason other than HSTS
# (chrome/common/chrome_features.cc, net/base/features.cc). Unknown names are ignored
# by Chromium, so the list is safe across versions.
NO_AUTO_UPGRADE_FEATURES: Final = (
    "HttpsUpgrades",
    "HttpsFirstBalancedMode",
    "HttpsFirstBalancedModeAutoEnable",
    "HttpsFirstModeV2ForEngagedSites",
    "HttpsFirstModeV2ForTypicallySecureUsers",
    "HttpsFirstModeIncognito",
    "HttpsFirstModeIncognitoNewSettings",
    "HttpsOnlyModeForAdvancedProtectionUsers",
    "UseDnsHttpsSvcb",
)
# The test hosts live on loopback, which Local Network Access treats as a private
# network: a real site is public, so these checks would only get in the way (they block
# e.g. a fetch() that an HSTS upgrade turns cross-origin, as InsecureLocalNetwork).
LOOPBACK_AS_PUBLIC_FEATURES: Final = (
    "LocalNetworkAccessChecks",
    "LocalNetworkAccessChecksWebSockets",
    "LocalNetworkAccessChecksWebTransport",
    "BlockInsecurePrivateNetworkRequests",
    "PrivateNetworkAccessSendPreflights",
    "PrivateNetworkAccessRespectPreflightResults",
)
DISABLED_FEATURES: Final = tuple(
    dict.fromkeys(
        (*_PLAYWRIGHT_DISABLED_FEATURES, *NO_AUTO_UPGRADE_FEATURES, *LOOPBACK_AS_PUBLIC_FEATURES)
    )
)
# Keep a browser on a machine without network quiet and deterministic.
BASE_SWITCHES: Final = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-pings",
)


def switches(hosts: Mapping[str, str], extra_args: Sequence[str]) -> list[str]:
    """Playwright's switches come first; then these: the base set, ``hosts`` mapped to their
    loopback addresses (every other name NOTFOUND), the disabled features, ``extra_args``."""
    rules = [f"MAP {host} {address}" for host, address in hosts.items()]
    # Everything else is NOTFOUND, except loopback addresses used as literals.
    rules += ["MAP * ~NOTFOUND", "EXCLUDE localhost", "EXCLUDE 127.*"]
    return [
        *BASE_SWITCHES,
        "--host-resolver-rules=" + ", ".join(rules),
        "--disable-features=" + ",".join(DISABLED_FEATURES),
        *extra_args,
    ]
