import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from identification import simulation


class Command(BaseCommand):
    help = (
        "Write every current match candidate with `nasab search`'s columns (remain_id, "
        "family_id, missing_id, log10_lr, lr, n_markers, n_inconsistent, posterior, prior, "
        "kind) plus case_number, settings and needs_review, sorted by remains then LR; "
        "TSV, or Parquet by suffix; the model goes beside it in OUT.model.json. Written to "
        "a temporary file and renamed."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="OUT.tsv", help="file to write (.tsv or .parquet)")

    def handle(self, *args, out, **options):
        path = Path(out)
        if path.is_dir() or not path.parent.is_dir():
            sys.stderr.write(f"nasab: error: {out}: not a file in an existing directory\n")
            sys.exit(2)
        n = simulation.export_candidates(path)
        self.stdout.write(f"{n} candidates -> {out}")
