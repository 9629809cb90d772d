from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Users log in with their email address (usernames are an internal detail)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = kwargs.get("email") or username
        if not email or not password:
            return None
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user and user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
