import sys

from django.core.management.base import BaseCommand

from custody import services


class Command(BaseCommand):
    help = "Verify the whole custody table. Exit status 0 intact, 1 broken (first broken entry named)."

    def handle(self, *args, **options):
        verdict = services.verify_database()
        if verdict.ok:
            self.stdout.write(verdict.describe())
            return
        self.stderr.write(verdict.describe())
        sys.exit(1)
