"""The OpenAPI schema, generated from the code, and a property-based run of every
operation in it with schemathesis (its Python API against the WSGI app): no server
error, and no answer outside the schema (status, content type, body)."""

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from reputation.dashboard import rollups
from tests.api_base import ApiTestCase
from tests.inbox_data import add_mentions

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 12  # per operation: the whole run stays well under two minutes


class SchemaTests(ApiTestCase):
    def test_it_serves_an_openapi_3_1_schema_and_its_docs(self):
        r = self.client.get("/api/schema/?format=json")
        self.assertEqual(r.status_code, 200)
        schema = r.json()
        self.assertEqual(schema["openapi"], "3.1.0")
        self.assertIn("/api/v1/mentions/", schema["paths"])
        self.assertEqual(schema["components"]["securitySchemes"]["apiKey"]["scheme"], "bearer")
        docs = self.client.get("/api/docs/")
        self.assertEqual(docs.status_code, 200)
        self.assertContains(docs, "/static/drf_spectacular_sidecar/redoc/")
        self.assertNotContains(docs, "https://")
        csp = docs["Content-Security-Policy"]
        script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        self.assertEqual(script.split(), ["script-src", "'self'"])
        # Only this page relaxes styles.
        self.assertNotIn("unsafe-inline", self.client.get("/login/")["Content-Security-Policy"])

    @override_settings(API_REQUESTS_PER_MINUTE=100_000)
    def test_it_answers_within_its_schema_whatever_is_asked(self):
        made = add_mentions(self.org, 5)
        rollups.add_mentions(made)
        app = WSGIHandler()
        # The test's transaction must survive each request (as Django's test client does).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            schema = openapi.from_wsgi("/api/schema/?format=json", app)
            operations = [op.ok() for op in schema.get_all_operations()]
            self.assertGreaterEqual(len(operations), 12)
            headers = {"Authorization": f"Bearer {self.tokens['owner']}"}
            for operation in operations:
                run(operation, headers)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def run(operation, headers):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(headers=headers))
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()
