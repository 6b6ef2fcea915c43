"""Load every ISO 3166-1 country from pycountry (with UN M49 regions)."""

from django.db import migrations


def load_countries(apps, schema_editor):
    from accounts.countries import iso_countries

    Country = apps.get_model("accounts", "Country")
    existing = set(Country.objects.values_list("alpha2", flat=True))
    Country.objects.bulk_create(
        [Country(**row.__dict__) for row in iso_countries() if row.alpha2 not in existing]
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
