from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "admin"


class Command(BaseCommand):
    help = (
        "For local use only: creates or updates the superuser 'admin' with password 'admin'. "
        "Refuses to run unless DEBUG=True."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "ensure_local_admin is for local use only and runs with DEBUG=True; "
                "use createsuperuser for a real deployment."
            )
        User = get_user_model()
        user, created = User.objects.get_or_create(username=USERNAME)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(PASSWORD)
        user.save()
        verb = "Created" if created else "Updated"
        self.stdout.write(
            f"{verb} the local superuser '{USERNAME}' (password '{PASSWORD}')."
        )
