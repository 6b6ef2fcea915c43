from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, demo_load
from analytics.demo import demo_margins_load
from survey.demo import demo_round_load, demo_survey_load
from survey.models import CollectorKind


class Command(BaseCommand):
    help = "Create the demo agency, accounts, a published survey and an open round (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: object, **options: object) -> None:
        agency, accounts = demo_load()
        survey = demo_survey_load(agency=agency)
        collector = demo_round_load(survey=survey)
        demo_margins_load(agency=agency)
        base = str(options["base_url"]).rstrip("/")
        self.stdout.write(f"Demo agency: {agency.name}, {agency.country.name}")
        self.stdout.write(f"Demo survey: {survey.name} (published, 6 languages)")
        self.stdout.write(f"Public survey link: {base}/r/{collector.token}/")
        tries = collector.round.collectors.filter(kind=CollectorKind.TEST).first()
        if tries is not None:
            self.stdout.write(
                f"Staff test link (answers left out as tests): {base}/r/{tries.token}/"
            )
        self.stdout.write(
            f"Indicators: .venv/bin/python manage.py indicators {collector.round_id} --weights raking"
        )
        self.stdout.write("Demo accounts (email / password / role):")
        for account in accounts:
            self.stdout.write(f"  {account.email:<32} {DEMO_PASSWORD}  {account.role}")
