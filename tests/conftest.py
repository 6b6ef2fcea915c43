from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import translation

from accounts.models import Agency, Role, User
from survey import fieldwork, services
from survey.models import Collector
from survey.serialization import survey_from_dict
from tests.factories import TEST_PASSWORD, AgencyFactory, MembershipFactory, UserFactory
from tests.survey.factories import every_feature

UI_LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Rate limits, used TOTP codes, typed pages and stamps live in the caches; each story
    # starts clean.
    for each in caches.all():
        each.clear()
    # Published versions are read once per process; ids can repeat between tests.
    from survey.selectors import forget_published_versions

    forget_published_versions()


@pytest.fixture(autouse=True)
def _english_urls() -> Iterator[None]:
    # A request leaves its language active in the thread; reverse() in the next
    # test would then build /zh-hans/... URLs. Every story starts in English.
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def agency_factory(db: None) -> Callable[..., Agency]:
    return AgencyFactory


@pytest.fixture
def user_factory(db: None) -> Callable[..., User]:
    return UserFactory


@pytest.fixture
def member_factory(db: None) -> Callable[..., User]:
    """member_factory(role, agency=None) -> a user holding that role in the agency."""

    def make(role: str = Role.VIEWER, agency: Agency | None = None, **user_fields: object) -> User:
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, agency=agency or AgencyFactory(), role=role)
        return user

    return make


@pytest.fixture
def agency(agency_factory: Callable[..., Agency]) -> Agency:
    return agency_factory()


@pytest.fixture
def other_agency(agency_factory: Callable[..., Agency]) -> Agency:
    return agency_factory(name="Biodiversity Office of Another Country")


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def do(user: User) -> Client:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return do


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {engine}"


@pytest.fixture
def mail_server(settings, mailoutbox):
    """The mail server invitations go through; mailoutbox holds what it accepted."""
    from tests.survey import mail

    mail.SERVER = mail.Server()
    settings.EMAIL_BACKEND = "tests.survey.mail.Backend"
    return mail.SERVER


@pytest.fixture
def collector(agency: Agency) -> Collector:
    """The public link of an open round of a published survey that uses every feature."""
    version = survey_from_dict(every_feature(), agency=agency, by=None)
    version = services.survey_publish(version=version, by=None)
    return fieldwork.round_create(version=version, label="Baseline").collectors.get()


@pytest.fixture
def six_language_link(agency: Agency) -> Collector:
    """The public link of an open round of the demo survey, in the six UN languages."""
    from survey.demo import demo_survey_load

    version = demo_survey_load(agency=agency).versions.get()
    return fieldwork.round_create(version=version, label="Six languages").collectors.get()
