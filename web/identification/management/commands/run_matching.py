from django.core.management.base import BaseCommand, CommandError

from identification import matching


class Command(BaseCommand):
    help = (
        "Run the programme's full matching to completion: the engine's compiled search of "
        "every family (donor consent applied) against every remains profile, with the "
        "programme settings (frequency table, mutation model, theta, dropout, threshold, "
        "prior rule); writes a new compiled store and records the candidates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="print only the summary")

    def handle(self, *args, quiet=False, **options):
        from nasab.engine.errors import NasabError

        try:
            matching._engine()
        except matching.MatchingUnavailable as exc:
            raise CommandError(str(exc), returncode=2) from exc
        last = [-1]

        def progress(done, total):
            if not quiet and total and done * 10 // total != last[0]:
                last[0] = done * 10 // total
                self.stderr.write(f"compiled {done}/{total} missing persons")

        try:
            report = matching.run(progress=progress)
        except NasabError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(report.describe())
