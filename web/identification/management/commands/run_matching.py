from django.core.management.base import BaseCommand, CommandError

from identification import matching


class Command(BaseCommand):
    help = ("Compare every usable remains profile with every family (consent applied) with "
            "the kinship engine and record match candidates at or above --min-log10-lr.")

    def add_arguments(self, parser):
        parser.add_argument("--frequencies", metavar="PATH",
                            help="allele frequency table (default: the engine's bundled table)")
        parser.add_argument("--prior", type=float, help="prior probability (default 1/number of missing)")
        parser.add_argument("--min-log10-lr", type=float, default=0.0)

    def handle(self, *args, frequencies=None, prior=None, min_log10_lr=0.0, **options):
        if prior is not None and not 0 < prior < 1:
            raise CommandError("--prior must be between 0 and 1", returncode=2)
        try:
            matching._engine()
            if frequencies:
                from nasab import read_frequencies

                table = read_frequencies(frequencies)
            else:
                from nasab.engine.frequencies import default_table

                table = default_table()
        except matching.MatchingUnavailable as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read frequencies {frequencies}: {exc}", returncode=2) from exc
        report = matching.run(table, prior=prior, min_log10_lr=min_log10_lr)
        self.stdout.write(report.describe())
