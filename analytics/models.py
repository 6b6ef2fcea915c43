"""Indicators as data, and the population margins that weights are raked to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency


class Indicator(models.Model):
    """A share of respondents: numerator and denominator are survey expressions.

    Standard indicators (agency empty) key on the question bank's codes and are
    the same in every country; agencies may add their own.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    numerator = models.TextField(_("counted when"))
    denominator = models.TextField(_("out of those where"))
    unit = models.CharField(_("unit"), max_length=16, default="percent")
    requires = models.JSONField(_("question codes needed"), default=list)
    method = models.JSONField(_("note on method"), default=dict, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(agency__isnull=True),
                name="indicator_standard_code",
            ),
            models.UniqueConstraint(fields=["agency", "code"], name="indicator_agency_code"),
        ]

    def __str__(self) -> str:
        return self.code


class PopulationMargins(models.Model):
    """Population totals per weighting variable: {variable: {category: total}}."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="margins")
    source = models.CharField(_("source"), max_length=300)
    year = models.PositiveIntegerField(_("year"))
    cells = models.JSONField(_("totals"), default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-uploaded_at"]
        verbose_name = _("population margins")
        verbose_name_plural = _("population margins")

    def __str__(self) -> str:
        return f"{self.source} ({self.year})"
