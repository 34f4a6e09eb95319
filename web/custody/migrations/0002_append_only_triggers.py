"""Database triggers that refuse UPDATE and DELETE on custody entries and audit events.

The application never changes these rows; the triggers make the database refuse it too,
so tampering needs someone able to drop triggers, and then ``verify_chain`` catches it.
"""

from django.db import migrations

TABLES = ("custody_entry", "audit_event")

SQLITE = [
    (
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
        f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()}",
    )
    for table in TABLES
    for op in ("UPDATE", "DELETE")
]

POSTGRES = [
    (
        "CREATE OR REPLACE FUNCTION nasab_refuse_change() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql",
        "DROP FUNCTION IF EXISTS nasab_refuse_change()",
    )
] + [
    (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION nasab_refuse_change()",
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
    )
    for table in TABLES
]


def statements(schema_editor):
    vendor = schema_editor.connection.vendor
    return {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, [])


def forwards(apps, schema_editor):
    for create, _ in statements(schema_editor):
        schema_editor.execute(create, params=None)


def backwards(apps, schema_editor):
    for _, drop in reversed(statements(schema_editor)):
        schema_editor.execute(drop, params=None)


class Migration(migrations.Migration):
    dependencies = [("custody", "0001_initial"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
