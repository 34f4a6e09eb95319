import json
import sys

from django.core.management.base import BaseCommand

from custody import services
from nasab.custody import chain
from nasab.custody.cli import EXIT_BAD_INPUT, EXIT_BROKEN, read_anchor


class Command(BaseCommand):
    help = ("Verify the custody table (or an exported bundle). Exit status 0 intact, "
            "1 broken (the first broken entry is named), 2 bad input. The same checks as "
            "'nasab custody verify', through Django's database connection.")

    def add_arguments(self, parser):
        parser.add_argument("--anchor", metavar="FILE",
                            help="anchor JSON (from --print-anchor) to catch entries cut from chain ends")
        parser.add_argument("--print-anchor", action="store_true",
                            help="print the head of every chain as JSON instead of verifying")
        parser.add_argument("--bundle", metavar="PATH", help="verify this bundle folder or zip instead")

    def handle(self, *args, anchor=None, print_anchor=False, bundle=None, **options):
        try:
            if print_anchor:
                self.stdout.write(json.dumps(services.anchor(), indent=1))
                return
            if bundle:
                verdict = chain.verify_bundle(bundle)
            else:
                verdict = services.verify_database(read_anchor(anchor) if anchor else None)
        except chain.CustodyInputError as exc:
            self.stderr.write(f"error: {exc}")
            sys.exit(EXIT_BAD_INPUT)
        if verdict.ok:
            self.stdout.write(verdict.describe())
            return
        self.stderr.write(verdict.describe())
        sys.exit(EXIT_BROKEN)
