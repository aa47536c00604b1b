"""manage.py import_speakers FILE.csv: known people, loaded all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from statements.importing.people import BadPeopleFile, load_people, read_people


class Command(BaseCommand):
    help = (
        "Loads known speakers from a CSV file (name, aliases, kind, country, position, "
        "body, start_date, end_date, source; one row per office). Bad rows are named "
        "by line and nothing of the file is loaded. Loading a file again changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE.csv")

    def handle(self, *args, **options):
        for path in options["paths"]:
            try:
                loaded = load_people(read_people(path), path=path)
            except BadPeopleFile as e:
                for message in e.messages:
                    self.stderr.write(message)
                raise CommandError(
                    f"{path}: {len(e.messages)} problem(s); nothing of it was loaded"
                ) from None
            self.stdout.write(f"{path}: {loaded}")
