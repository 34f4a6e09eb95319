import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from identification import joint


class Command(BaseCommand):
    help = (
        "Write the joint identification problem of a family with several missing persons "
        "(its pedigree and donors, the remains of its current candidates, the programme's "
        "frequency table as extended, mutation model and theta) as a DVI folder for "
        "`nasab joint --dvi DIR`: dvi.json, families/<case>.ped, victims.tsv, freqs.txt. "
        "Every file is written or none."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "case_number", help="case number of the family's (or one of its) missing persons"
        )
        parser.add_argument("out", metavar="DIR", help="folder to write (created)")

    def handle(self, *args, case_number, out, **options):
        from nasab.engine.errors import NasabError

        path = Path(out)
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            sys.stderr.write(f"nasab: error: {out}: exists and is not an empty folder\n")
            sys.exit(2)
        try:
            got = joint.export_dvi(case_number, path)
        except NasabError as exc:
            sys.stderr.write(f"nasab: error: {exc}\n")
            sys.exit(2)
        self.stdout.write(
            f"DVI folder -> {out}; compare with `nasab joint --dvi {out} --threshold "
            f"{got['threshold']:g} --threshold2 {got['threshold2']:g} --top {got['top']}`"
            + (f" and the registry's joint analysis {got['analysis']}" if got["analysis"] else "")
        )
