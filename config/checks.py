"""The production settings refuse the development secret key.

config/settings.py does not raise on it, so that `manage.py extract` (files in, JSON
out: no database, no signing) runs with no environment at all. Whatever serves pages
or changes data refuses it instead: the WSGI application (config/wsgi.py) and this
system check, which `runserver`, `migrate`, `check` and every command that runs the
checks report as an error.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MESSAGE = (
    "SECRET_KEY is not set, and DEBUG is off (the default): set SECRET_KEY to 50 "
    "or more random characters (python3 -c 'import secrets; "
    "print(secrets.token_urlsafe(50))'), or DEBUG=True on your own machine."
)


def on_development_key() -> bool:
    return not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY


def refuse_development_key() -> None:
    if on_development_key():
        raise ImproperlyConfigured(MESSAGE)


@checks.register(checks.Tags.security)
def secret_key_check(app_configs, **kwargs):
    return [checks.Error(MESSAGE, id="config.E001")] if on_development_key() else []
