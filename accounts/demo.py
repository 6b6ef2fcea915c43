"""Demo agency and accounts for `make run`. Idempotent: a second run changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import Agency, Country, Membership, Role, User

DEMO_COUNTRY = "KEN"
DEMO_AGENCY = "National Biodiversity Awareness Unit (demo)"
DEMO_PASSWORD = "biodiversity-demo-2026"  # noqa: S105 (printed by make run on purpose)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str  # an agency role, or "secretariat"


DEMO_ACCOUNTS = [
    DemoAccount("manager@demo.example.org", "Amina Wanjiru", Role.MANAGER),
    DemoAccount("designer@demo.example.org", "Brian Otieno", Role.DESIGNER),
    DemoAccount("analyst@demo.example.org", "Chen Wei", Role.ANALYST),
    DemoAccount("viewer@demo.example.org", "Dalia Haddad", Role.VIEWER),
    DemoAccount("secretariat@demo.example.org", "Elena Petrova", "secretariat"),
]


@transaction.atomic
def demo_load() -> tuple[Agency, list[DemoAccount]]:
    country = Country.objects.get(alpha3=DEMO_COUNTRY)
    agency, _created = Agency.objects.get_or_create(
        country=country, name=DEMO_AGENCY, defaults={"acronym": "NBAU"}
    )
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                is_secretariat=account.role == "secretariat",
            )
        EmailAddress.objects.get_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if account.role != "secretariat":
            Membership.objects.get_or_create(
                user=user, agency=agency, defaults={"role": account.role}
            )
    return agency, DEMO_ACCOUNTS
