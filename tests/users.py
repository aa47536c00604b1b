"""Users for the admin tests."""

from django.contrib.auth.models import Permission, User


def staff_user(username, *codenames):
    """A staff user with these permissions of the statements app (alice may change,
    bob may only look: each admin test module names what they hold)."""
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="statements", codename__in=codenames
        )
    )
    return user
