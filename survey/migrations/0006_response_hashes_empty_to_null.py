from django.db import migrations


def empty_to_null(apps, schema_editor):
    """Rows without a resume link or fingerprint hold NULL, which the partial indexes leave out."""
    Response = apps.get_model("survey", "Response")
    Response.objects.filter(resume_hash="").update(resume_hash=None)
    Response.objects.filter(fingerprint="").update(fingerprint=None)


def null_to_empty(apps, schema_editor):
    Response = apps.get_model("survey", "Response")
    Response.objects.filter(resume_hash=None).update(resume_hash="")
    Response.objects.filter(fingerprint=None).update(fingerprint="")


class Migration(migrations.Migration):

    dependencies = [
        ('survey', '0005_response_hashes_nullable'),
    ]

    operations = [
        migrations.RunPython(empty_to_null, null_to_empty),
    ]
