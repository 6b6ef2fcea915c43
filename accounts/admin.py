from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Country, Membership, StaffInvitation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_secretariat", "is_active", "is_superuser"]
    list_filter = ["is_secretariat", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_secretariat", "is_staff", "is_superuser"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "alpha2", "alpha3", "numeric", "m49_region", "m49_subregion"]
    list_filter = ["m49_region"]
    search_fields = ["name", "alpha2", "alpha3"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "country"]
    list_filter = ["country__m49_region"]
    search_fields = ["name", "acronym", "country__name"]
    autocomplete_fields = ["country"]
    inlines = [MembershipInline]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "agency", "role", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["token_hash"]
