"""The Celery app of the import workers: `celery -A config worker` (`make worker`).

Its settings are the CELERY_* names of config/settings.py, which come from the
environment like every other: a worker on another machine needs only DATABASE_URL and
CELERY_BROKER_URL (and the same IMPORT_QUEUE, if not the default). The tasks are in
statements/tasks.py. Imported only by the workers and by `import_articles --queue`,
so the web processes never load Celery.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("whosaidwhat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
