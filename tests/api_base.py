"""Base of the API tests: the organisations and roles of BaseTestCase, a key per
member, and a client that sends it."""

from reputation.api.models import ADMIN, READ, WRITE, ApiKey, scopes_for
from reputation.orgs.models import Membership, Role
from tests.base import BaseTestCase, make_user


class ApiTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.admin = make_user("adam@example.org")
        Membership.objects.create(user=self.admin, organisation=self.org, role=Role.ADMIN)
        self.tokens = {}
        for role, user, org in (
            ("owner", self.alice, self.org),
            ("admin", self.admin, self.org),
            ("member", self.bob, self.org),
            ("viewer", self.viewer, self.org),
            ("outsider", self.charlie, self.other_org),
        ):
            membership = Membership.objects.get(user=user, organisation=org)
            _key, self.tokens[role] = ApiKey.issue(
                membership, role, sorted(scopes_for(membership.role))
            )

    def api(self, role, method, path, data=None, **headers):
        if role:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.tokens[role]}"
        call = getattr(self.client, method)
        if data is not None:
            return call(path, data, content_type="application/json", **headers)
        return call(path, **headers)


__all__ = ["ADMIN", "READ", "WRITE", "ApiTestCase"]
