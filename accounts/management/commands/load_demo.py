from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Create the demo agency and one account per role (safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        agency, accounts = demo_load()
        self.stdout.write(f"Demo agency: {agency.name}, {agency.country.name}")
        self.stdout.write("Demo accounts (email / password / role):")
        for account in accounts:
            self.stdout.write(f"  {account.email:<32} {DEMO_PASSWORD}  {account.role}")
