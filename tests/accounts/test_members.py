"""Members: the list, invitations by email, role changes and removal, for each role."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reputation.accounts.models import Invitation
from reputation.orgs.models import Membership, Role
from tests.base import BaseTestCase, make_user

STRONG = "un-mot-de-passe-solide"


class MembersTestCase(BaseTestCase):
    def url(self, name="members", *args):
        return reverse(name, args=[self.org.code, *args])

    def membership(self, user):
        return Membership.objects.get(user=user, organisation=self.org)

    def invite(self, email="dan@example.org", role="member"):
        return self.client.post(self.url("member-invite"), {"email": email, "role": role})

    def token(self):
        """The token in the last email's link."""
        link = [line for line in mail.outbox[-1].body.splitlines() if "/invitations/" in line][0]
        return link.rstrip("/").rsplit("/", 1)[1]


class ListTestCase(MembersTestCase):
    def test_it_shows_the_members_to_every_role(self):
        for user in (self.alice, self.bob):
            self.login(user)
            r = self.client.get(self.url())
            self.assertContains(r, "bob@example.org")
            self.assertContains(r, "vera@example.org")
        # A viewer sees who, not their addresses.
        self.login(self.viewer)
        r = self.client.get(self.url())
        self.assertContains(r, "b…@example.org")
        self.assertNotContains(r, "bob@example.org")
        self.assertNotContains(r, "alice@example.org")

    def test_it_shows_the_forms_to_managers_only(self):
        self.login(self.bob)
        self.assertNotContains(self.client.get(self.url()), "Send the invitation")
        self.login(self.alice)
        self.assertContains(self.client.get(self.url()), "Send the invitation")

    def test_it_returns_404_to_outsiders(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        for name in ("member-invite", "member-role", "member-remove"):
            self.assertEqual(self.client.post(self.url(name), {}).status_code, 404)


class InviteTestCase(MembersTestCase):
    def test_it_emails_an_invitation(self):
        self.login(self.alice)
        r = self.invite(role="admin")
        self.assertRedirects(r, self.url())
        invitation = Invitation.objects.get()
        self.assertEqual((invitation.email, invitation.role), ("dan@example.org", "admin"))
        message = mail.outbox[0]
        self.assertEqual(message.to, ["dan@example.org"])
        # The organisation's language (French by default) and both text and HTML.
        self.assertIn("Alice & Co", message.subject)
        self.assertIn("Invitation", message.subject)
        self.assertIn("/invitations/", message.body)
        self.assertEqual(message.alternatives[0][1], "text/html")
        # Only a hash of the token is stored.
        self.assertNotIn(invitation.token_hash, message.body)
        self.assertNotIn(self.token(), invitation.token_hash)

    def test_it_refuses_invitations_from_members_and_viewers(self):
        for user in (self.bob, self.viewer):
            self.login(user)
            self.assertEqual(self.invite().status_code, 403)
        self.assertEqual(len(mail.outbox), 0)

    def test_it_refuses_an_owner_invited_by_an_admin(self):
        self.membership(self.bob).__class__.objects.filter(user=self.bob).update(role=Role.ADMIN)
        self.login(self.bob)
        self.invite(role="owner")
        self.assertFalse(Invitation.objects.exists())

    def test_it_does_not_invite_a_member_again(self):
        self.login(self.alice)
        r = self.client.get(self.invite(email="BOB@example.org").url)
        self.assertContains(r, "already a member")
        self.assertEqual(len(mail.outbox), 0)

    def test_it_lets_a_new_person_accept(self):
        self.login(self.alice)
        self.invite(role="viewer")
        self.client.logout()
        url = reverse("invitation-accept", args=[self.token()])
        self.assertContains(self.client.get(url), "Join Alice &amp; Co")
        r = self.client.post(url, {"name": "Dan", "password": STRONG})
        self.assertRedirects(r, reverse("dashboard", args=[self.org.code]))
        dan = User.objects.get(email="dan@example.org")
        self.assertTrue(dan.check_password(STRONG))
        self.assertEqual(self.membership(dan).role, Role.VIEWER)
        # Used once only.
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_lets_an_existing_user_log_in_then_accept(self):
        self.login(self.alice)
        self.invite(email="charlie@example.org")
        self.client.logout()
        url = reverse("invitation-accept", args=[self.token()])
        r = self.client.get(url)
        self.assertContains(r, "log in to accept")
        # Posting a password does not take over the existing account.
        self.client.post(url, {"password": "another-password-123"})
        self.assertTrue(User.objects.get(email="charlie@example.org").check_password("password"))
        self.login(self.charlie)
        r = self.client.post(url)
        self.assertRedirects(r, reverse("dashboard", args=[self.org.code]))
        self.assertEqual(self.membership(self.charlie).role, Role.MEMBER)

    def test_it_refuses_an_invitation_to_another_logged_in_account(self):
        """Issue 17, point 6: an attacker's owner opening the victim's invitation link
        (forwarded, leaked) became admin of the victim's organisation."""
        self.login(self.alice)
        self.invite(email="dan@example.org", role="admin")
        self.login(self.charlie)  # owner of another organisation, not dan
        url = reverse("invitation-accept", args=[self.token()])
        r = self.client.get(url)
        self.assertContains(r, "this invitation is for another address", status_code=403)
        self.assertNotContains(r, "Accept the invitation", status_code=403)
        r = self.client.post(url)
        self.assertContains(r, "only that address can accept it", status_code=403)
        self.assertFalse(Membership.objects.filter(user=self.charlie, organisation=self.org))
        self.assertIsNone(Invitation.objects.get().accepted_at)

    def test_it_lets_the_invited_address_accept_in_any_spelling(self):
        self.login(self.alice)
        self.invite(email="Charlie@Example.ORG")
        self.login(self.charlie)
        r = self.client.post(reverse("invitation-accept", args=[self.token()]))
        self.assertRedirects(r, reverse("dashboard", args=[self.org.code]))
        self.assertEqual(self.membership(self.charlie).role, Role.MEMBER)

    def test_it_refuses_look_alike_addresses_in_invitations(self):
        self.login(self.alice)
        self.invite(email="d\u0430n@example.org")  # Cyrillic а
        self.assertFalse(Invitation.objects.exists())
        self.assertEqual(len(mail.outbox), 0)
        r = self.client.get(self.url())
        self.assertContains(r, "letters that look alike")

    def test_it_refuses_unknown_and_old_invitations(self):
        self.assertEqual(self.client.get(reverse("invitation-accept", args=["x"])).status_code, 404)
        self.login(self.alice)
        self.invite()
        Invitation.objects.update(created=timezone.now() - timedelta(days=15))
        r = self.client.get(reverse("invitation-accept", args=[self.token()]))
        self.assertContains(r, "no longer works", status_code=404)

    def test_it_lets_a_manager_cancel_an_invitation(self):
        self.login(self.alice)
        self.invite()
        invitation = Invitation.objects.get()
        r = self.client.get(self.url())
        self.assertContains(r, "dan@example.org")
        self.login(self.charlie)
        r = self.client.post(self.url("invitation-revoke", invitation.code))
        self.assertEqual(r.status_code, 404)
        self.login(self.alice)
        self.client.post(self.url("invitation-revoke", invitation.code))
        self.assertFalse(Invitation.objects.exists())


class RolesTestCase(MembersTestCase):
    def change(self, user, role):
        return self.client.post(
            self.url("member-role"), {"member": self.membership(user).pk, "role": role}
        )

    def remove(self, user):
        return self.client.post(self.url("member-remove"), {"member": self.membership(user).pk})

    def test_it_lets_the_owner_change_roles_and_remove(self):
        self.login(self.alice)
        self.change(self.bob, "admin")
        self.assertEqual(self.membership(self.bob).role, Role.ADMIN)
        self.remove(self.viewer)
        self.assertFalse(
            Membership.objects.filter(user=self.viewer, organisation=self.org).exists()
        )

    def test_it_refuses_role_changes_to_members_and_viewers(self):
        for user in (self.bob, self.viewer):
            self.login(user)
            self.assertEqual(self.change(self.viewer, "admin").status_code, 403)
            self.assertEqual(self.remove(self.viewer).status_code, 403)
        self.assertEqual(self.membership(self.viewer).role, Role.VIEWER)

    def test_it_keeps_owners_out_of_an_admins_reach(self):
        Membership.objects.filter(user=self.bob).update(role=Role.ADMIN)
        self.login(self.bob)
        self.change(self.viewer, "owner")
        self.change(self.alice, "member")
        self.remove(self.alice)
        self.assertEqual(self.membership(self.alice).role, Role.OWNER)
        self.assertEqual(self.membership(self.viewer).role, Role.VIEWER)
        self.change(self.viewer, "member")
        self.assertEqual(self.membership(self.viewer).role, Role.MEMBER)

    def test_it_keeps_the_last_owner(self):
        dan = make_user("dan@example.org")
        Membership.objects.create(user=dan, organisation=self.org, role=Role.OWNER)
        self.login(dan)
        self.change(self.alice, "member")
        self.assertEqual(self.membership(self.alice).role, Role.MEMBER)
        r = self.client.post(
            self.url("member-role"), {"member": self.membership(dan).pk, "role": "admin"}
        )
        r = self.client.get(r.url)
        self.assertContains(r, "at least one owner")
        self.assertEqual(self.membership(dan).role, Role.OWNER)

    def test_it_ignores_members_of_other_organisations(self):
        self.login(self.alice)
        theirs = Membership.objects.get(user=self.charlie)
        r = self.client.post(self.url("member-remove"), {"member": theirs.pk})
        self.assertEqual(r.status_code, 404)
        self.assertTrue(Membership.objects.filter(pk=theirs.pk).exists())


class AccessTestCase(MembersTestCase):
    def test_it_refuses_cancellations_to_members_and_viewers(self):
        invitation = Invitation.objects.create(
            organisation=self.org, email="dan@example.org", token_hash="x" * 64
        )
        for user in (self.bob, self.viewer):
            self.login(user)
            r = self.client.post(self.url("invitation-revoke", invitation.code))
            self.assertEqual(r.status_code, 403)
        self.assertTrue(Invitation.objects.filter(pk=invitation.pk).exists())

    def test_it_lets_an_admin_manage_members_and_settings(self):
        Membership.objects.filter(user=self.bob).update(role=Role.ADMIN)
        self.login(self.bob)
        self.assertEqual(self.invite().status_code, 302)
        self.assertEqual(len(mail.outbox), 1)
        r = self.client.get(reverse("org-settings", args=[self.org.code]))
        self.assertEqual(r.status_code, 200)
