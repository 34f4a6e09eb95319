import sys

from django.core.management.base import BaseCommand, CommandError

from identification import simulation


class Command(BaseCommand):
    help = (
        "Load a programme from `nasab simulate` output (DIR/families.tsv, remains.tsv, "
        "freqs.txt; .parquet tables too): missing persons with their relatives, consented "
        "reference samples and profiles; grave-site remains with bone samples and "
        "profiles; freqs.txt becomes the programme's frequency table. Identifiers are "
        "kept (remain_id = remains code; family_id and missing id = the missing person's "
        "external identifiers). All or nothing. Then run `run_matching`."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="a `nasab simulate --out` directory")

    def handle(self, *args, directory, **options):
        try:
            counts = simulation.import_simulation(directory)
        except simulation.SimulationRefused as exc:
            if options.get("traceback"):
                raise CommandError(str(exc), returncode=2) from exc
            sys.stderr.write(f"nasab: error: {exc}\n")
            sys.exit(2)
        self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()))
