from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.countries import iso_countries
from accounts.models import Country


class Command(BaseCommand):
    help = "Update the country table from the installed pycountry release (after an upgrade)."

    def handle(self, *args: object, **options: object) -> None:
        created = updated = 0
        for row in iso_countries():
            _country, was_created = Country.objects.update_or_create(
                alpha2=row.alpha2, defaults={k: v for k, v in row.__dict__.items() if k != "alpha2"}
            )
            created += was_created
            updated += not was_created
        self.stdout.write(
            _("%(created)d countries added, %(updated)d checked.")
            % {"created": created, "updated": updated}
        )
