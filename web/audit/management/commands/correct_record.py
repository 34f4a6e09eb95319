import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audit.corrections import CORRECTABLE, CorrectionRefused, correct
from nasab_site.append_only import english_name


class Command(BaseCommand):
    help = (
        "Correct fields of one evidence record, appending a correction (who, when, why, before and "
        "after) and its audit event; confirmed identifications resting on it are flagged and their "
        "reports superseded. Correctable: "
        + "; ".join(f"{k}: {', '.join(v)}" for k, v in CORRECTABLE.items())
    )

    def add_arguments(self, parser):
        parser.add_argument("model", help="app_label.Model, e.g. registry.Relative")
        parser.add_argument("pk", help="primary key of the record")
        parser.add_argument(
            "--user", required=True, help="username the correction is recorded under"
        )
        parser.add_argument("--reason", required=True, help="why (kept with the correction)")
        parser.add_argument(
            "--set",
            action="append",
            dest="changes",
            default=[],
            metavar="FIELD=VALUE",
            help="a field and its new value (repeatable; JSON values for lists, numbers, "
            'true/false/null, e.g. markers=\'{"TH01": ["6", "9"]}\')',
        )

    def handle(self, *args, model, pk, user, reason, changes, **options):
        try:
            model_class = apps.get_model(model)
        except (LookupError, ValueError) as exc:
            raise CommandError(
                f"unknown model {model!r} (use app_label.Model)", returncode=2
            ) from exc
        record = model_class._base_manager.filter(pk=pk).first()
        if record is None:
            raise CommandError(f"no {model} with primary key {pk}", returncode=2)
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"no active user {user!r}", returncode=2)
        fields = {f.name: f for f in model_class._meta.fields}
        values = {}
        for item in changes:
            name, sep, text = item.partition("=")
            if not sep:
                raise CommandError(f"--set {item!r}: give FIELD=VALUE", returncode=2)
            field = fields.get(name)
            if field is None:
                raise CommandError(f"{model} has no field {name!r}", returncode=2)
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                value = text
            if field.get_internal_type() in ("CharField", "TextField") and not isinstance(
                value, str
            ):
                value = text
            if field.is_relation and value is not None:
                value = field.related_model._base_manager.filter(pk=value).first()
                if value is None:
                    raise CommandError(
                        f"--set {name}: no such {english_name(field.related_model, plural=False)}",
                        returncode=2,
                    )
            values[name] = value
        try:
            fix = correct(record, user=account, reason=reason, **values)
        except CorrectionRefused as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(
            f"corrected {fix.object_type} {fix.object_pk}: {json.dumps(fix.changes, ensure_ascii=False)}"
        )
        if fix.flagged_identifications:
            self.stdout.write(
                f"flagged for review (reports superseded): identifications "
                f"{', '.join(map(str, fix.flagged_identifications))}"
            )
