from django.core.management.base import BaseCommand, CommandError

from statements.importing.retopic import TopicUpdater
from statements.models import Article


class Command(BaseCommand):
    help = (
        "Brings the topics of seeds/topics.json into the database (a field an admin "
        "edited is kept), then gives every automatic statement the topics the current "
        "key phrases find, without importing again. Reviewed statements keep theirs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article",
            type=int,
            action="append",
            metavar="ID",
            help="only the statements of this article (may repeat)",
        )
        parser.add_argument(
            "--sync-only",
            action="store_true",
            help="only bring the topic list up to date; statements keep their topics",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="do everything, say what changed, then roll it all back",
        )
        parser.add_argument(
            "--processes", type=int, default=1, help="spaCy processes (default 1)"
        )
        parser.add_argument(
            "--batch-size", type=int, default=16, help="articles per nlp.pipe batch"
        )

    def handle(self, *args, **options):
        if options["processes"] < 1:
            raise CommandError("--processes must be 1 or more.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        articles = None
        if options["article"]:
            articles = Article.objects.filter(pk__in=options["article"])
            missing = set(options["article"]) - set(
                articles.values_list("pk", flat=True)
            )
            if missing:
                raise CommandError(
                    "No article with id " + ", ".join(map(str, sorted(missing))) + "."
                )
        try:
            summary = TopicUpdater(
                processes=options["processes"],
                batch_size=options["batch_size"],
                dry_run=options["dry_run"],
                retag=not options["sync_only"],
                err=self.stderr,
            ).run(articles)
        except ValueError as e:  # a bad topic file
            raise CommandError(str(e)) from None
        self.stdout.write(str(summary))
