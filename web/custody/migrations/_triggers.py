"""The append-only triggers of migration 0002, one table at a time (for later migrations that
rebuild a table, and for the backup/restore commands)."""


def _sqlite(table):
    return [
        (
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()}",
        )
        for op in ("UPDATE", "DELETE")
    ]


def _postgres(table):
    return [
        (
            "CREATE OR REPLACE FUNCTION nasab_refuse_change() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql",
            None,
        ),
        (f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}", None),
        (
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION nasab_refuse_change()",
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        ),
    ]


def _statements(schema_editor, table):
    vendor = schema_editor.connection.vendor
    return {"sqlite": _sqlite, "postgresql": _postgres}.get(vendor, lambda t: [])(table)


def create(schema_editor, table):
    for create_sql, _ in _statements(schema_editor, table):
        schema_editor.execute(create_sql, params=None)


def drop(schema_editor, table):
    for _, drop_sql in _statements(schema_editor, table):
        if drop_sql:
            schema_editor.execute(drop_sql, params=None)
