"""Every URL pattern of the site, read from Django's resolver, and how to fill it.

The sweeps (test_sweep_*.py) walk this list, so a new view is in them the day it is
written; each sweep keeps its own table of what every pattern must answer and fails on
a pattern it does not know (a new view must be classified, not silently skipped)."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# A parameter: "<uuid:code>" in a path, "(?P<url>.*)" in a regular expression.
_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, prefixes joined: "org/<uuid:code>/names/"
    name: str | None  # namespaced ("admin:auth_user_change"), None when unnamed
    params: tuple[str, ...]  # the parameters the pattern names, in order

    def url(self, values: dict) -> str:
        """The path with these parameter values (a KeyError names a missing one)."""
        kwargs = {p: values[p] for p in self.params}
        if self.name:
            return reverse(self.name, kwargs=kwargs)
        # Unnamed patterns are their own path, parameters written in.
        path = _PARAM.sub(lambda m: str(kwargs[m.group(1) or m.group(2)]), self.route)
        assert not set("()[]*+?\\") & set(path), self.route  # a regex we cannot fill
        return "/" + path.lstrip("^").rstrip("$")


def _params(pattern) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    return tuple(pattern.regex.groupindex)


def routes(resolver=None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every pattern under this resolver (the site's by default), recursively."""
    found = []
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += routes(p, route, inner)
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else None
            found.append(Route(route, name, _params(p.pattern)))
    return found


def admin_or_demo(route: str) -> bool:
    """The admin (staff only, its patterns made by Django from the registered models)
    and the demo's fake sites (only with DEMO_MODE) are swept by prefix."""
    return route.startswith(("admin/", "demo/"))
