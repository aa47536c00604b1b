from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "statements"
    verbose_name = "Who said what"

    def ready(self):
        # The production settings' refusal of the development key (a system check).
        import config.checks  # noqa: F401

        # A safety net for saves made by hand in the shell; the app itself writes
        # through statements/corrections.py and does not rely on it.
        from . import signals

        signals.connect()
