"""Caches that follow the data they were read from.

Analytics caches per round follow the round's complete responses and the
agency's decisions on them: every path that completes or deletes a response,
or decides on one, ends here, model saves and deletes through
these receivers, queryset updates and bulk inserts through an explicit call to
`responses_changed`. The answering flow's copy of a link (collector and round)
is dropped whenever a collector or round is saved or deleted in this process.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from survey.models import Collector, Response, ResponseReview, ResponseStatus, Round
from survey.selectors import forget_completed_responses_stamp, forget_links


def responses_changed(round_id: int) -> None:
    """After the transaction commits, so a reader never caches the old data under a new stamp."""
    transaction.on_commit(lambda: forget_completed_responses_stamp(round_id=round_id))


@receiver(post_save, sender=Response)
def _response_saved(sender: Any, instance: Response, **kwargs: Any) -> None:
    if instance.status == ResponseStatus.COMPLETE:
        responses_changed(instance.round_id)


@receiver(post_delete, sender=Response)
def _response_deleted(sender: Any, instance: Response, **kwargs: Any) -> None:
    responses_changed(instance.round_id)


@receiver(post_save, sender=ResponseReview)
@receiver(post_delete, sender=ResponseReview)
def _review_changed(sender: Any, instance: ResponseReview, **kwargs: Any) -> None:
    # A response left out leaves the frames; one kept is no longer flagged in them.
    responses_changed(instance.response.round_id)


@receiver(post_save, sender=Collector)
@receiver(post_delete, sender=Collector)
@receiver(post_save, sender=Round)
@receiver(post_delete, sender=Round)
def _link_changed(sender: Any, **kwargs: Any) -> None:
    forget_links()
