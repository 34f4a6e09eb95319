from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audit import backup


class Command(BaseCommand):
    help = (
        "Back up the registry into a new folder: every database row (portable between SQLite and "
        "PostgreSQL), the signed anchor log of the custody and audit chains, and the compiled search "
        "store (settings.NASAB_SEARCH_STORE), with a MANIFEST.sha256. Restore with restore_registry."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="new folder to create (refused if it exists)")
        parser.add_argument(
            "--user", default="", help="username the backup is audited under (default: system)"
        )
        parser.add_argument(
            "--include-signing-key",
            action="store_true",
            help="also copy the anchor signing key (keep such a backup as safe as the key)",
        )

    def handle(self, *args, destination, user, include_signing_key, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"no active user {user!r}", returncode=2)
        try:
            path = backup.backup(destination, user=account, include_signing_key=include_signing_key)
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"wrote {path}")
