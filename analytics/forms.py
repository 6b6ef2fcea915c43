from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import AccessibleForm


class MarginsForm(AccessibleForm):
    file = forms.FileField(
        label=_("Population totals (CSV or XLSX)"),
        help_text=_(
            "Three columns: variable, category, total. Variables: age_group, sex, region, education, residence."
        ),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("For example “National census 2019, table 2.3”."),
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=1950, max_value=2100, initial=timezone.now().year
    )

    def clean_file(self) -> tuple[bytes, str]:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."), code="too_large")
        return upload.read(), upload.name
