"""The audit log made append-only by the database, and the school's name kept on each entry.

Triggers refuse every UPDATE and DELETE of an entry, on SQLite and on PostgreSQL, with one
exception: the change Django makes when a login or a school is deleted, which sets
actor_id or school_id to NULL and touches nothing else. The entry keeps the username
(actor_name) and the school's name (school_name) as text, so it still says who and where.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

TABLE = "audit_auditentry"
REFUSAL = "the audit log is append-only"

#: Columns no UPDATE may change at all.
FIXED = ("id", "at", "actor_name", "action", "summary", "details", "school_name")


def _update_changes_more_than_unlinking(distinct: str) -> str:
    """The condition for refusing an UPDATE: any fixed column changed, or a link changed to
    anything but NULL. `distinct` is the dialect's null-safe "differs" operator."""
    fixed = [f"NEW.{c} {distinct} OLD.{c}" for c in FIXED]
    links = [
        f"(NEW.{c} {distinct} OLD.{c} AND NEW.{c} IS NOT NULL)" for c in ("actor_id", "school_id")
    ]
    return " OR ".join(fixed + links)


SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON {TABLE}
    WHEN {_update_changes_more_than_unlinking("IS NOT")}
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]

POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_entry_refuse() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END;
    $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {TABLE} FOR EACH ROW
    WHEN ({_update_changes_more_than_unlinking("IS DISTINCT FROM")})
    EXECUTE FUNCTION audit_entry_refuse()""",
    f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {TABLE} FOR EACH ROW
    EXECUTE FUNCTION audit_entry_refuse()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_entry_no_update ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_entry_no_delete ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_entry_refuse()",
]

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def _run(schema_editor: Any, which: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"no append-only triggers for the {vendor} database")
    for sql in STATEMENTS[vendor][which]:
        schema_editor.execute(sql)


def create_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 0)


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 1)


def keep_school_names(apps: Any, schema_editor: Any) -> None:
    entry = apps.get_model("audit", "AuditEntry")
    for row in entry.objects.filter(school__isnull=False).select_related("school"):
        row.school_name = row.school.name
        row.save(update_fields=["school_name"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="school_name",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.RunPython(keep_school_names, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
