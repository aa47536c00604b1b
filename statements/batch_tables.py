"""Queued imports: an ImportBatch per `import_articles --queue` run, an ImportItem per
article it put on the queue. Plain model declarations (models.py imports them); the
functions that write them are statements/importing/batches.py.
"""

from django.db import models


class ImportBatch(models.Model):
    """One `import_articles --queue` run: what it read, what it queued, what came of it.

    The counters move only through statements/importing/batches.py, each in the same
    transaction as the change of the item it counts, so they always add up:
    done + skipped + failed + waiting == articles. Articles already stored when the
    files were read are counted as skipped at once and never queued."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    paths = models.JSONField(default=list, help_text="the PATHs as given")
    files = models.PositiveIntegerField(default=0, help_text="input files read")
    bad_files = models.PositiveIntegerField(
        default=0, help_text="inputs refused when read (named in the messages)"
    )
    articles = models.PositiveIntegerField(
        default=0, help_text="articles read from the files that were not refused"
    )
    queued = models.PositiveIntegerField(
        default=0, help_text="articles put on the queue"
    )
    done = models.PositiveIntegerField(default=0, help_text="articles imported")
    skipped = models.PositiveIntegerField(
        default=0, help_text="articles already there (the same text or URL)"
    )
    failed = models.PositiveIntegerField(default=0, help_text="articles that failed")
    statements = models.PositiveIntegerField(default=0, help_text="statements stored")
    messages = models.JSONField(
        default=list, blank=True, help_text="what was refused or failed, and why"
    )

    class Meta:
        verbose_name_plural = "import batches"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Import batch {self.pk}"

    @property
    def waiting(self) -> int:
        """Articles not yet done, skipped or failed."""
        return self.articles - self.done - self.skipped - self.failed

    @property
    def status(self) -> str:
        if self.waiting > 0:
            return "running" if self.done or self.skipped or self.failed else "queued"
        return "finished with failures" if self.failed else "finished"


class ImportItem(models.Model):
    """One article of a batch, from the queue to its outcome."""

    class State(models.TextChoices):
        QUEUED = "queued"
        DONE = "done"
        SKIPPED = "skipped", "skipped (already there)"
        FAILED = "failed"

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="items"
    )
    source = models.CharField(max_length=500, help_text="file (and line) it came from")
    content_hash = models.CharField(max_length=64)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True, help_text="the last error, if any")
    article = models.ForeignKey(
        "statements.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    statements = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "pk"]

    def __str__(self):
        return f"{self.source} ({self.state})"
