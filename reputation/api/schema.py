"""The schema and its documentation page.

What the OpenAPI schema says beyond what drf-spectacular reads from the views: the
Bearer key scheme, and the problem details every operation may answer.

The browsable documentation is Redoc, served from our own static files
(drf-spectacular-sidecar). Redoc injects its styles at run time and renders the
schema in a blob: worker, so that one page allows inline styles and blob: workers;
scripts stay 'self' only.
"""

from csp.decorators import csp_update
from django.shortcuts import render
from drf_spectacular.extensions import OpenApiAuthenticationExtension

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "description": "Per field, for a 400."},
    },
}


class KeyScheme(OpenApiAuthenticationExtension):
    target_class = "reputation.api.auth.KeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key made on the organisation's API page.",
        }


def add_problems(result, generator, request, public):
    """Every operation may answer a problem (401, 403, 404, 400, 409, 422, 429...)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            operation["responses"]["default"] = {
                "description": "An error, as problem details.",
                "content": {"application/problem+json": {"schema": ref}},
            }
    return result


@csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"], "img-src": ["data:"]})
def docs(request):
    return render(request, "api/docs.html")
