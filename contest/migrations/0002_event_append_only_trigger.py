"""The event log is append-only in the database too: on PostgreSQL a trigger refuses every
UPDATE and DELETE of contest_event, whoever runs it (the ORM guards in models.py cover
SQLite, which the embedded default uses)."""

from django.db import migrations

CREATE = [
    """
    CREATE OR REPLACE FUNCTION contest_event_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'contest_event is append-only: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS contest_event_append_only ON contest_event",
    """
    CREATE TRIGGER contest_event_append_only
        BEFORE UPDATE OR DELETE ON contest_event
        FOR EACH ROW EXECUTE FUNCTION contest_event_refuse_change()
    """,
]

DROP = [
    "DROP TRIGGER IF EXISTS contest_event_append_only ON contest_event",
    "DROP FUNCTION IF EXISTS contest_event_refuse_change()",
]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("contest", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
