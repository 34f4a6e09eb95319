from django.core.management.base import BaseCommand

from accounts.roles import ensure_groups


class Command(BaseCommand):
    help = "Create one group per role (idempotent)."

    def handle(self, *args, **options):
        for role in ensure_groups():
            self.stdout.write(f"group: {role.value}")
