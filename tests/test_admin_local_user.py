import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command


def test_it_creates_the_local_superuser(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_local_admin", stdout=out)
    user = User.objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password("admin")
    assert "Created" in out.getvalue()


def test_it_resets_an_existing_admin(db, settings):
    settings.DEBUG = True
    User.objects.create_user("admin", password="forgotten")
    call_command("ensure_local_admin", stdout=io.StringIO())
    user = User.objects.get(username="admin")
    assert user.check_password("admin")
    assert user.is_superuser


def test_it_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("ensure_local_admin", stdout=io.StringIO())
    assert not User.objects.filter(username="admin").exists()


def test_the_local_admin_can_log_in(client, db, settings):
    settings.DEBUG = True
    call_command("ensure_local_admin", stdout=io.StringIO())
    assert client.login(username="admin", password="admin")
    assert client.get("/admin/").status_code == 200
