from django.core.management.base import BaseCommand, CommandError

from identification import matching


def positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        import argparse

        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not {text!r}")
    return n


def add_compute_options(parser) -> None:
    """--workers / --dask: where a full run compiles (nasab search's options of the same
    names; default: the site's NASAB_MATCHING_WORKERS / NASAB_MATCHING_DASK)."""
    parser.add_argument(
        "--workers",
        type=positive_int,
        metavar="N",
        help="compile on N processes (a local Dask cluster when above 1); default: the "
        "site's NASAB_MATCHING_WORKERS (1)",
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="compile on the Dask scheduler at ADDRESS; default: the site's NASAB_MATCHING_DASK",
    )


class Command(BaseCommand):
    help = (
        "Run the programme's full matching to completion: the engine's compiled search of "
        "every family (donor consent applied) against every remains profile, with the "
        "programme settings (frequency table, mutation model, theta, dropout, threshold, "
        "prior rule); writes a new compiled store and records the candidates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="print only the summary")
        add_compute_options(parser)

    def handle(self, *args, quiet=False, workers=None, dask=None, **options):
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
            report = matching.run(progress=progress, workers=workers, dask=dask)
        except NasabError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(report.describe())
