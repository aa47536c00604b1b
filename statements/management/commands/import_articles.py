import datetime

from django.core.management.base import BaseCommand, CommandError

from statements.importing.interrupts import InterruptBetweenArticles
from statements.importing.readers import STDIN
from statements.importing.service import Importer
from statements.models import Article

INTERRUPTED = 130  # what a shell reports for a command ended by SIGINT


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--published {value!r} is not a date (use YYYY-MM-DD)"
        ) from None


class Command(BaseCommand):
    help = (
        "Imports articles: .txt (optional Title:/URL:/Published:/Outlet: header ending at the "
        "first blank line), .html, .json, .jsonl, directories (recursively) and - for stdin. "
        "The same article twice (same text or same URL) is skipped. With --reextract, stored "
        "articles are extracted again: all of them when no PATH is given. With --queue, "
        "the articles go on the import queue for the workers (make worker); --status "
        "BATCH shows how a queued batch is doing."
    )

    # call_command(..., stdin=io.BytesIO(...)) reads "-" from there (the tests do).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH")
        parser.add_argument("--title", help="the article's title (one article only)")
        parser.add_argument("--url", help="the article's URL (one article only)")
        parser.add_argument(
            "--published", help="publication date, YYYY-MM-DD (all articles)"
        )
        parser.add_argument(
            "--outlet", help="the outlet, e.g. 'The Guardian' (all articles)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="extract and resolve as usual, then roll everything back",
        )
        parser.add_argument(
            "--reextract",
            action="store_true",
            help="extract stored articles again: automatic statements are replaced, "
            "reviewed ones (verified, corrected, rejected) are kept as they are",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="spaCy processes (default: 2 for 20 articles or more, else 1)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=16, help="articles per nlp.pipe batch"
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="read and check the files here, then put each article on the import "
            "queue for the workers (make worker) instead of importing it here",
        )
        parser.add_argument(
            "--wait",
            action="store_true",
            help="with --queue: wait until the workers have done the batch",
        )
        parser.add_argument(
            "--status",
            type=int,
            metavar="BATCH",
            help="show how a queued batch is doing, and what failed",
        )

    def handle(self, *args, **options):
        if options["status"] is not None:
            return self.status(options["status"], options)
        paths = options["paths"]
        if not paths and not options["reextract"]:
            raise CommandError(
                "Give at least one PATH (a file, a directory, or - for stdin)."
            )
        if paths.count(STDIN) > 1:
            raise CommandError("stdin (-) can be read once only.")
        if (options["title"] or options["url"]) and len(paths) != 1:
            raise CommandError(
                "--title and --url name one article: give exactly one PATH."
            )
        if options["processes"] is not None and options["processes"] < 1:
            raise CommandError("--processes must be 1 or more.")
        overrides = {
            "title": options["title"],
            "url": options["url"],
            "outlet": options["outlet"],
            "published": iso_date(options["published"])
            if options["published"]
            else None,
        }
        if options["queue"] or options["wait"]:
            self.check_queue_options(paths, options)
        interrupts = InterruptBetweenArticles()
        importer = Importer(
            processes=options["processes"],
            batch_size=max(1, options["batch_size"]),
            dry_run=options["dry_run"],
            reextract=options["reextract"],
            overrides=overrides,
            err=self.stderr._out,
            log=self.stdout.write if options["verbosity"] >= 2 else None,
            extractor=interrupts.extractor(),
        )
        if options["queue"]:
            return self.queue(importer, paths, options)
        try:
            with interrupts:
                if paths:
                    summary = importer.run(paths, stdin=options.get("stdin"))
                else:
                    summary = importer.reextract(Article.objects.order_by("pk"))
        except KeyboardInterrupt:
            # Each article commits on its own, and Ctrl-C stops between two (see
            # interrupts.py). One line, the summary, and the shell's code for SIGINT.
            self.stderr.write(
                "Interrupted: nothing was saved (a dry run)."
                if options["dry_run"]
                else "Interrupted: the articles committed before Ctrl-C are kept; "
                "run the same command again to import the rest "
                "(what is there is skipped)."
            )
            if importer.resolver is not None:
                importer.summary.new_speakers = len(importer.resolver.created)
            self.stdout.write(str(importer.summary))
            raise SystemExit(INTERRUPTED) from None
        self.stdout.write(str(summary))
        if summary.failed:
            names = "\n  ".join(str(e) for e in summary.failures)
            raise CommandError(
                f"{summary.failed} input(s) failed, the rest was imported:\n  {names}"
            )

    # Queued imports (statements/importing/queue.py).

    def check_queue_options(self, paths, options):
        if not options["queue"]:
            raise CommandError("--wait goes with --queue.")
        for option in ("reextract", "dry_run"):
            if options[option]:
                name = "--" + option.replace("_", "-")
                raise CommandError(f"{name} runs here only: leave out --queue.")
        if options["processes"] is not None:
            raise CommandError(
                "--processes sets this machine's spaCy processes; queued articles "
                "are extracted by the workers (make worker, --concurrency N)."
            )

    def queue(self, importer, paths, options):
        from statements.importing import queue

        try:
            batch = queue.enqueue(paths, importer, stdin=options.get("stdin"))
        except queue.BrokerUnavailable as e:
            raise CommandError(str(e)) from None
        self.stdout.write(
            f"Import batch {batch.pk}: {queue.counts(batch)}\n"
            f"Follow it with `manage.py import_articles --status {batch.pk}` or in "
            "the admin (Import batches)."
        )
        if options["wait"]:
            try:
                batch = queue.wait(batch, progress=self.progress(options))
            except KeyboardInterrupt:
                self.stderr.write(
                    f"Stopped waiting: the workers go on with batch {batch.pk} "
                    f"(import_articles --status {batch.pk})."
                )
                raise SystemExit(INTERRUPTED) from None
            self.stdout.write(queue.describe(batch))
        failures = importer.summary.failures
        if failures or (options["wait"] and batch.failed):
            names = "\n  ".join(
                [str(e) for e in failures]
                + (batch.messages[len(failures) :] if options["wait"] else [])
            )
            raise CommandError(f"Batch {batch.pk}: something failed:\n  {names}")

    def progress(self, options):
        if options["verbosity"] < 2:
            return None
        from statements.importing import queue

        return lambda batch: self.stdout.write(queue.counts(batch))

    def status(self, number, options):
        from statements.batch_tables import ImportBatch
        from statements.importing import queue

        if options["paths"] or options["queue"]:
            raise CommandError("--status BATCH takes no PATH and no --queue.")
        batch = ImportBatch.objects.filter(pk=number).first()
        if batch is None:
            latest = ImportBatch.objects.values_list("pk", flat=True).first()
            hint = f" (the latest is {latest})" if latest else " (there is none yet)"
            raise CommandError(f"There is no import batch {number}{hint}.")
        self.stdout.write(queue.describe(batch))
