"""What every benchmark checks about what it timed: the answer it meant.

`bench dashboard` once timed 400 error pages (DisallowedHost, under production
settings) and printed fine figures. Each benchmark now checks every response it
times (status 200 and a piece of the content it expects) and every count it
measures; a wrong answer raises BenchFailed, which `manage.py bench` turns into a
non-zero exit with the message.
"""


class BenchFailed(RuntimeError):
    """The benchmark timed something other than what it meant to."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise BenchFailed(message)


def expect_page(response, marker: str, what: str):
    """`response` if it is a 200 whose content holds `marker`; BenchFailed otherwise."""
    status = response.status_code
    expect(status == 200, f"{what}: answered {status}, not 200 (nothing timed is valid)")
    if not getattr(response, "streaming", False):
        body = response.content.decode("utf-8", "replace")
        expect(marker in body, f"{what}: the page does not contain {marker!r}")
    return response


def getter(client, url: str, marker: str, what: str):
    """A function for `timed`: GET `url` and check the answer, every time."""
    return lambda: expect_page(client.get(url), marker, what)
