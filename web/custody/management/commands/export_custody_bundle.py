from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import can
from custody import services
from nasab.custody import chain


class Command(BaseCommand):
    help = "Export a custody bundle (folder, or zip with --zip) for all or some objects."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="new folder to create")
        parser.add_argument("--user", required=True, help="username the export is audited under")
        parser.add_argument(
            "--object",
            action="append",
            dest="objects",
            default=[],
            help="sample barcode or remains code (repeatable; default all)",
        )
        parser.add_argument("--zip", action="store_true", help="also write FOLDER.zip")

    def handle(self, *args, folder, user, objects, zip, **options):
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"no active user {user!r}", returncode=2)
        if not can(account, "custody.export"):
            raise CommandError(f"{user} may not export custody bundles", returncode=2)
        try:
            path = services.export_bundle(account, folder, objects or None)
        except FileExistsError as exc:
            raise CommandError(f"{folder} already exists", returncode=2) from exc
        except services.CustodyRefused as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"wrote {path}")
        if zip:
            self.stdout.write(f"wrote {chain.zip_bundle(path, f'{path}.zip')}")
