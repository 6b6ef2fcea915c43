from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Country, Role
from accounts.timezones import agency_time_zone, time_zone_choices


class AccessibleForm(forms.Form):
    """Links each invalid input to its error text, so screen readers announce it."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described.append(f"{bound.auto_id}_helptext")
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = " ".join(described)


class InviteForm(AccessibleForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RoleForm(AccessibleForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class TimeZoneForm(AccessibleForm):
    """The agency's time zone: its country's zones and UTC (see accounts.timezones)."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Round dates and times are typed and shown in this time zone."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = agency_time_zone(agency)
        self.fields["time_zone"].choices = [
            (name, name.replace("_", " "))
            for name in time_zone_choices(agency.country.alpha2, current)
        ]
        self.fields["time_zone"].initial = current


class AcceptInvitationForm(AccessibleForm):
    """Set a name and password for the account an invitation creates."""

    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2",
                forms.ValidationError(_("The two passwords differ."), code="password_mismatch"),
            )
        elif first:
            from accounts.models import User

            probe = User(email=self.email, full_name=cleaned.get("full_name") or "")
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AgencyForm(AccessibleForm):
    """The secretariat registers an agency and invites its first manager."""

    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Sorted by the name the reader sees, in the interface language.
        names = sorted(((c.pk, str(c)) for c in Country.objects.all()), key=lambda row: row[1])
        self.fields["country"].choices = [("", "---------"), *names]

    name = forms.CharField(label=_("Agency name"), max_length=200)
    acronym = forms.CharField(label=_("Acronym"), max_length=30, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    manager_email = forms.EmailField(label=_("First manager's email address"), max_length=254)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        country, name = cleaned.get("country"), cleaned.get("name")
        if country and name and country.agencies.filter(name__iexact=name.strip()).exists():
            self.add_error(
                "name",
                forms.ValidationError(
                    _("This country already has an agency with this name."), code="duplicate"
                ),
            )
        return cleaned
