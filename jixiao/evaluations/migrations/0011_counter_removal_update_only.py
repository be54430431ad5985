from django.db import migrations


def reinstall_counters(apps, schema_editor):
    # An evaluation's removal from its counters is now an UPDATE, never an upsert
    # (evaluations.counters._row_remove): Django's flush on SQLite deleted the campaigns and the
    # counters first, and the delete trigger's upsert then made counter rows for campaigns that
    # were gone. Rebuilt after, as counters kept by the old triggers may differ.
    from jixiao.evaluations import counters

    counters.install(schema_editor.connection)
    counters.rebuild()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0010_attention_index_transition_triggers")]

    operations = [migrations.RunPython(reinstall_counters, migrations.RunPython.noop)]
