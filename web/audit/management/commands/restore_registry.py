import sys

from django.core.management.base import BaseCommand, CommandError

from audit import backup
from nasab.custody import chain


class Command(BaseCommand):
    help = (
        "Restore a backup from backup_registry into a fresh, migrated, empty database; put the anchor "
        "log (and search store) back, append a signed 'restore' line to the anchor log, audit it, and "
        "verify custody and audit against the anchor. Exit 0 verified, 1 verification failed, 2 refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="backup folder written by backup_registry")
        parser.add_argument(
            "--user",
            default="(restore)",
            help="who restores (recorded in the audit and anchor logs)",
        )
        parser.add_argument(
            "--reason", default="", help="why (recorded in the audit and anchor logs)"
        )

    def handle(self, *args, source, user, reason, **options):
        try:
            restored = backup.restore(source, user_name=user, reason=reason)
        except (backup.BackupError, chain.CustodyInputError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"restored: {restored.note}")
        if restored.verdict.ok:
            self.stdout.write(restored.verdict.describe())
            return
        self.stderr.write(restored.verdict.describe())
        sys.exit(1)
