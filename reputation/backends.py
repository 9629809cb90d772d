from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from reputation.accounts.addresses import find_user


class EmailBackend(ModelBackend):
    """Users log in with their email address (usernames are an internal detail)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = kwargs.get("email") or username
        if not email or not password:
            return None
        UserModel = get_user_model()
        # The same normalisation as the login throttle's (accounts/addresses.py).
        user = find_user(email)
        if user is None:
            # Hash anyway: answering an unknown address ten times faster than a known
            # one would tell anyone who has an account (as Django's ModelBackend does).
            UserModel().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
