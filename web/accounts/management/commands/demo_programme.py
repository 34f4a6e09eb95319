from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from audit import anchoring
from fieldwork.models import GraveSite
from nasab_site import demo


class Command(BaseCommand):
    help = (
        "Migrate the database and fill it with a synthetic demonstration programme "
        "(sites, remains, samples with custody, families, profiles, matches) and one "
        "user per role; prints the credentials."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="start from an empty SQLite database (deletes the file)",
        )

    def handle(self, *args, seed, reset, **options):
        db = settings.DATABASES["default"]
        if reset:
            if connection.vendor != "sqlite":
                raise CommandError(
                    "--reset only deletes SQLite files; drop the PostgreSQL database yourself."
                )
            connection.close()
            Path(db["NAME"]).unlink(missing_ok=True)
            retired = anchoring.retire_log()
            if retired:
                self.stdout.write(f"The anchor log of the deleted database was moved to {retired}.")
        call_command("migrate", verbosity=0, interactive=False)
        if GraveSite.objects.filter(code=demo.SITES[0][0]).exists():
            raise CommandError(
                "This database already holds the demonstration programme; "
                "run again with --reset to rebuild it."
            )
        result = demo.build(seed)
        self.stdout.write(self.style.SUCCESS(f"Demonstration programme created in {db['NAME']}:"))
        for label, count in result.counts.items():
            self.stdout.write(f"  {count:3d} {label}")
        self.stdout.write("\nUsers (synthetic demonstration accounts):")
        roles = dict(demo.DEMO_USERS)
        for username, password in result.passwords.items():
            self.stdout.write(f"  {username:10s} {password:22s} {roles[username].value}")
        self.stdout.write(
            "\nSecond factor (reviewer, board, administrator): add the secret to an "
            "authenticator app,\nor print the current code with "
            "'NASAB_DEV=1 .venv/bin/python web/manage.py second_factor_code USER':"
        )
        for username, secret in result.second_factor_secrets.items():
            self.stdout.write(f"  {username:10s} {secret}")
        self.stdout.write(
            "\nStart the site:  make serve\nThen log in at:  http://127.0.0.1:8000/login/"
        )
