"""The founding case in a real browser: Chromium through lab seed-307 sees what we predict.

The browser visits the scenario's prime pages, https://site.test/ (learning its
includeSubDomains policy), then opens http://info.site.test/: it must show the internal
307 with Non-Authoritative-Reason: HSTS and then fail on the certificate, exactly the hops
httpdoctor's trace predicted.
"""

from __future__ import annotations

import pytest

from httpdoctor.lab.runner import running
from httpdoctor.lab.scenarios import scenario_named
from tests.browsers.chromium import ChromiumRecorder
from tests.conftest import run_cli

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("variant", ["wrong-cert", "error-500", "no-https"])
def test_chromium_shows_the_hops_httpdoctor_predicts(variant: str) -> None:
    scenario = scenario_named("seed-307")
    with running(scenario, variant) as run:
        assert run.standard_ports, "the browser test needs ports 80 and 443 (run as root)"
        hosts = {h.name: run.address_of(h.name) for h in run.variant.hosts}
        with ChromiumRecorder(hosts=hosts, ca_pem=run.ca_path) as browser:
            for page in scenario.prime:  # a returning visitor: it learnt HSTS there
                browser.visit(page)
            seen = browser.navigate(scenario.url)
        flags = [part for flag in run.cli_flags() for part in flag.split(" ", 1)]
        result = run_cli("trace", scenario.url, "--json", *flags)
    predicted = result.json["hops"]

    assert seen[0].synthetic and seen[0].status == 307 and seen[0].reason == "HSTS"
    assert predicted[0]["synthetic"] and predicted[0]["status"] == 307
    assert ["Non-Authoritative-Reason", "HSTS"] in predicted[0]["response_headers"]
    assert [(h.url, h.synthetic) for h in seen] == [(h["url"], h["synthetic"]) for h in predicted]
    last_seen, last_predicted = seen[-1], predicted[-1]
    if variant == "error-500":
        assert last_seen.status == 500 == last_predicted["status"]
    else:
        assert last_seen.error is not None and last_predicted["error"] is not None
        expected = (
            "net::ERR_CERT_COMMON_NAME_INVALID"
            if variant == "wrong-cert"
            else "net::ERR_CONNECTION_REFUSED"
        )
        assert last_seen.error == expected
