"""Mutations from a browser session (cookie auth) need the XSRF token; reads do not."""

from __future__ import annotations

import urllib.parse
from http.cookies import SimpleCookie

JOB = "0" * 32


def cookies_of(response) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_list("Set-Cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


async def browser_session(client, base_url: str, token: str) -> dict[str, str]:
    """Log in through the login form, as a browser does, and return the session cookies."""
    page = await client.fetch(f"{base_url}login", raise_error=False)
    cookies = cookies_of(page)
    form = urllib.parse.urlencode({"password": token, "_xsrf": cookies["_xsrf"]})
    login = await client.fetch(
        f"{base_url}login",
        method="POST",
        body=form,
        headers={"Cookie": f"_xsrf={cookies['_xsrf']}"},
        follow_redirects=False,
        raise_error=False,
    )
    assert login.code == 302, login.code
    cookies.update(cookies_of(login))
    return cookies


async def test_cookie_session_mutation_without_xsrf_is_refused(
    http_server_client, jp_base_url, jp_serverapp
) -> None:
    cookies = await browser_session(
        http_server_client, jp_base_url, jp_serverapp.identity_provider.token
    )
    cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    url = f"{jp_base_url}reana-openbis-lab/jobs/{JOB}/cancel"

    refused = await http_server_client.fetch(
        url, method="POST", body=b"", headers={"Cookie": cookie_header}, raise_error=False
    )
    assert refused.code == 403

    accepted = await http_server_client.fetch(
        url,
        method="POST",
        body=b"",
        headers={"Cookie": cookie_header, "X-XSRFToken": cookies["_xsrf"]},
        raise_error=False,
    )
    assert accepted.code == 404  # past auth and XSRF, the job simply does not exist

    read = await http_server_client.fetch(
        f"{jp_base_url}reana-openbis-lab/info", headers={"Cookie": cookie_header}, raise_error=False
    )
    assert read.code == 200
