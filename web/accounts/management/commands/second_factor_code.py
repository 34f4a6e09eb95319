from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import second_factor


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of a user, as their authenticator app shows "
        "it. Development and demonstration only: refused unless NASAB_DEV=1 (or debug)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the account whose current code to print")

    def handle(self, *args, username, **options):
        if not settings.DEV_MODE:
            raise CommandError(
                "second_factor_code only runs on a development machine "
                "(NASAB_DEV=1); use the authenticator app."
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        device = second_factor.confirmed_device(user)
        if device is None:
            raise CommandError(f"{username} has no enrolled second factor")
        self.stdout.write(second_factor.current_code(device))
