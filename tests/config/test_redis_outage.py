"""When Redis is out of reach, respondents answer on, and each server process counts the
limits alone; when it is back, the limits count in Redis again."""

from __future__ import annotations

import logging
import os
import socket
from html import unescape

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCacheClient

from config import cache as resilient
from survey import selectors
from survey.models import Response, ResponseStatus
from tests.accounts.test_sign_in import told_too_many
from tests.survey.test_answering import (
    PAGE_1,
    PAGE_2,
    PAGE_3,
    consent_anew,
    page_url,
    shown_page,
    start,
    sum_of,
    thank_you_address,
)

pytestmark = pytest.mark.django_db

# A database of its own: the test empties it when done.
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def fresh_breaker():
    resilient._resting_until.clear()
    yield
    resilient._resting_until.clear()


def closed_port() -> int:
    """A port nothing listens on: the kernel's free one, let go at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_redis(settings, url: str) -> None:
    """Both caches on `url`, as config/settings.py sets them for REDIS_URL."""
    redis = {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": f"cepa-test-{os.getpid()}",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {"default": {**redis, "LOCAL_FALLBACK": True}, "shared": redis}
    # The process's own counts are kept by address: an earlier test may have left some.
    caches["default"]._cache.fallback.clear()


@pytest.fixture
def attempts(monkeypatch) -> list[str]:
    """Each time the cache goes to Redis."""
    tried: list[str] = []
    reach = RedisCacheClient.get_client

    def counted(self, *args, **kwargs):
        tried.append("redis")
        return reach(self, *args, **kwargs)

    monkeypatch.setattr(RedisCacheClient, "get_client", counted)
    return tried


def test_a_respondent_answers_the_whole_survey_while_redis_is_out_of_reach(
    client, collector, settings, caplog, attempts
):
    use_redis(settings, f"redis://:s3cret@127.0.0.1:{closed_port()}/0")

    with caplog.at_level(logging.ERROR, logger="config.cache"):
        start(client, collector)
        assert shown_page(client.post(page_url(collector), PAGE_1)) == 2
        assert shown_page(client.post(page_url(collector), PAGE_2)) == 3
        done = client.post(page_url(collector), PAGE_3)

    assert thank_you_address(done).endswith("/done/")
    assert Response.objects.get().status == ResponseStatus.COMPLETE
    # Said once, without the password; and Redis was asked once, not on every page.
    outage = [r for r in caplog.records if r.name == "config.cache"]
    assert len(outage) == 1
    assert "cannot be reached" in outage[0].getMessage()
    assert "s3cret" not in caplog.text
    assert len(attempts) == 1


def test_without_script_a_page_with_errors_still_shows_them_while_redis_is_out_of_reach(
    client, collector, settings
):
    """Its errors would wait in the cache for the GET; with the cache away they come at once."""
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")
    start(client, collector, lang="fr")
    plain = {"no-script": "1"}

    wrong = client.post(page_url(collector), {**PAGE_1, "age": "12", **plain})

    assert shown_page(wrong) == 1
    shown = wrong.content.decode()
    assert all(s in shown for s in ('value="12"', "error-summary", "16 ans"))
    assert "age" not in Response.objects.get().answers  # the wrong answer is not kept
    sent = client.post(page_url(collector), {**PAGE_1, **plain})
    assert sent.status_code == 302 and sent["Location"].endswith("&p=2")
    assert Response.objects.get().answers["age"] == 30


def test_redis_is_tried_again_once_its_rest_is_over(settings, monkeypatch, attempts):
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")
    now = [1000.0]
    monkeypatch.setattr(resilient, "monotonic", lambda: now[0])
    shared = caches["shared"]

    assert shared.get("anything", "missed") == "missed"
    shared.set("anything", 1)
    now[0] += resilient.RETRY_SECONDS - 1
    assert shared.add("anything", 1) is True  # as an empty cache would say
    assert len(attempts) == 1

    now[0] += 2
    with pytest.raises(ValueError):  # no counter: the caller makes one, as usual
        shared.incr("anything")
    assert len(attempts) == 2


def test_while_redis_is_away_the_default_cache_counts_in_the_process_and_the_shared_one_forgets(
    settings, monkeypatch
):
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")
    monkeypatch.setattr(resilient, "monotonic", lambda: 1000.0)  # Redis stays at rest

    assert cache.add("starts", 1, timeout=60) is True
    assert cache.incr("starts") == 2
    assert cache.add("starts", 1) is False  # the count is there, in this process
    assert cache.get_many(["starts", "other"]) == {"starts": 2}
    cache.delete("starts")
    assert cache.get("starts") is None

    shared = caches["shared"]
    shared.set("typed", "page 1")
    assert shared.get("typed") is None  # another process could not have read it either


def test_while_redis_is_away_the_save_limit_still_holds(client, collector, settings):
    """Counted by each server process alone: a robot is slowed, not let through."""
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")
    settings.RESPONDENT_RATE_LIMITS = {"save": (1, 60)}

    start(client, collector)
    assert shown_page(client.post(page_url(collector), PAGE_1)) == 2
    busy = client.post(page_url(collector), PAGE_2)

    assert busy.status_code == 429
    assert "Too many pages were sent from this connection." in busy.content.decode()
    assert Response.objects.get().page == 2  # page 2 was not saved


def test_while_redis_is_away_past_the_start_limit_a_sum_opens_one_start(
    client, collector, settings
):
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")
    settings.RESPONDENT_RATE_LIMITS = {"start": (1, 3600)}

    assert shown_page(consent_anew(client, collector)) == 1
    busy = consent_anew(client, collector)
    assert "Many people are starting this survey" in unescape(busy.content.decode())
    token, a, b = sum_of(busy)
    solved = {"challenge_token": token, "challenge": str(a + b)}
    assert shown_page(consent_anew(client, collector, **solved)) == 1
    assert "small sum" in consent_anew(client, collector, **solved).content.decode()
    assert Response.objects.count() == 2


def test_analytics_stamps_are_never_kept_by_one_process_while_redis_is_away(collector, settings):
    """A process that kept its own stamp would not see responses another process completed."""
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")
    round_id = collector.round_id

    first = selectors.completed_responses_stamp(round_id=round_id)

    assert selectors.completed_responses_stamp(round_id=round_id) != first


def _redis_up() -> bool:
    host, _sep, rest = REDIS_TEST_URL.split("//", 1)[1].rpartition("@")[2].partition(":")
    try:
        socket.create_connection((host, int(rest.split("/")[0] or 6379)), timeout=1).close()
    except OSError:
        return False
    return True


def test_with_redis_up_the_rate_limit_counts_across_pages(client, collector, settings):
    if not _redis_up():
        message = f"No Redis at {REDIS_TEST_URL} (REDIS_TEST_URL)."
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(message + " CI runs Redis at 127.0.0.1:6379.")
        pytest.skip(message)
    use_redis(settings, REDIS_TEST_URL)
    settings.RESPONDENT_RATE_LIMITS = {"save": (1, 60)}
    try:
        start(client, collector)
        assert shown_page(client.post(page_url(collector), PAGE_1)) == 2
        assert client.post(page_url(collector), PAGE_2).status_code == 429
    finally:
        cache.clear()
    assert not resilient._resting_until


def test_while_redis_is_away_a_password_guesser_is_still_stopped(client, settings, user_factory):
    """allauth counts failed sign-ins in the default cache, as the respondents' limits are."""
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")
    user = user_factory()

    assert told_too_many(client, user.email) == [False] * 5 + [True]
