"""The local stack over real HTTP: the dev console answers only loopback Hosts, every HTTP method gets an API
answer (405 with Allow on a known path, never http.server's 501), and an undecodable path is a 4xx."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest

from local.client import request, spawn

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def base_url():
    with spawn() as url:
        yield url


def raw(base_url: str, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    """One request with the path and Host sent exactly as given."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True)
        for name, value in {"Host": address.netloc, **(headers or {})}.items():
            connection.putheader(name, value)
        connection.endheaders()
        answer = connection.getresponse()
        answer.read()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:3000", "127.0.0.1.evil.example", "192.168.1.20"])
@pytest.mark.parametrize("path", ["/_local/", "/_local/outbox", "/_local/clock"])
def test_the_dev_console_refuses_any_host_but_loopback(base_url, host, path):
    status, _ = raw(base_url, "GET", path, {"Host": host})

    assert status == 421


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost:3000", "LOCALHOST", "[::1]:8080"])
def test_the_dev_console_answers_loopback_hosts(base_url, host):
    status, _ = raw(base_url, "GET", "/_local/outbox", {"Host": host})

    assert status == 200


def test_the_api_paths_answer_any_host_as_the_deployed_api_does(base_url):
    status, _ = raw(base_url, "GET", "/openapi.json", {"Host": "followup.example.com"})

    assert status == 200


@pytest.mark.parametrize(("method", "path", "allow"), [("TRACE", "/interviews", "POST"), ("QUERY", "/unsubscribe",
                                                                                          "GET, POST"),
                                                       ("TRACE", "/_local/outbox", "GET")])
def test_a_method_a_path_does_not_take_is_a_405_with_allow(base_url, method, path, allow):
    status, headers = raw(base_url, method, path)

    assert (status, headers.get("allow")) == (405, allow)


@pytest.mark.parametrize("path", ["/interviews/%ff", "/interviews/%c3%28/decision", "/static/%ff%fe", "/%80", "/_local/%ff"])
def test_an_undecodable_path_is_a_4xx(base_url, path):
    status, _ = raw(base_url, "GET", path)

    assert 400 <= status < 500


def test_a_request_through_the_client_still_works(base_url):
    assert request("GET", f"{base_url}/openapi.json").status == 200
