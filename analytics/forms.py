from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import AccessibleForm
from survey.i18n import UN_LANGUAGES


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


class IndicatorForm(AccessibleForm):
    code = forms.RegexField(
        label=_("Code"),
        max_length=64,
        regex=r"^[a-z_][a-z0-9_]*$",
        help_text=_("Lower-case letters, digits and _, for example aware_youth."),
    )
    numerator = forms.CharField(
        label=_("Counted when"),
        max_length=4000,
        help_text=_("An expression over question codes, for example ${bio_heard} = 'heard_know'."),
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
    )
    denominator = forms.CharField(
        label=_("Out of those where"),
        max_length=4000,
        help_text=_("For example ${bio_heard} != '' (everyone who answered)."),
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        for code in UN_LANGUAGES:
            self.fields[f"name__{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": code},
                max_length=200,
                required=code == "en",
                widget=forms.TextInput(
                    attrs={"lang": code, "dir": "rtl" if code == "ar" else "ltr"}
                ),
            )

    def _expression(self, name):
        from survey.expressions import ExpressionError, parse

        text = self.cleaned_data[name].strip()
        try:
            parse(text)
        except ExpressionError as error:
            raise forms.ValidationError(
                _("%(error)s (at character %(position)d)"),
                code="syntax",
                params={"error": error.message, "position": error.position + 1},
            ) from None
        return text

    def clean_numerator(self):
        return self._expression("numerator")

    def clean_denominator(self):
        return self._expression("denominator")

    def clean_code(self):
        from analytics.models import Indicator

        code = self.cleaned_data["code"]
        if (
            Indicator.objects.filter(code=code, agency__isnull=True).exists()
            or Indicator.objects.filter(code=code, agency=self.agency).exists()
        ):
            raise forms.ValidationError(
                _("An indicator with this code exists already."), code="duplicate"
            )
        return code

    def names(self):
        return {
            code: self.cleaned_data.get(f"name__{code}", "").strip()
            for code in UN_LANGUAGES
            if self.cleaned_data.get(f"name__{code}", "").strip()
        }
