from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, demo_load
from survey.demo import demo_survey_load


class Command(BaseCommand):
    help = (
        "Create the demo agency, one account per role and a published survey (safe to run again)."
    )

    def handle(self, *args: object, **options: object) -> None:
        agency, accounts = demo_load()
        survey = demo_survey_load(agency=agency)
        self.stdout.write(f"Demo agency: {agency.name}, {agency.country.name}")
        self.stdout.write(f"Demo survey: {survey.name} (published, 6 languages)")
        self.stdout.write("Demo accounts (email / password / role):")
        for account in accounts:
            self.stdout.write(f"  {account.email:<32} {DEMO_PASSWORD}  {account.role}")
