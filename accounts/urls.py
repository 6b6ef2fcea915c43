from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:agency_id>/members/invite/", views.member_invite, name="member_invite"),
    path(
        "agencies/<int:agency_id>/time-zone/",
        views.agency_time_zone_change,
        name="agency_time_zone",
    ),
    path(
        "agencies/<int:agency_id>/members/<int:membership_id>/role/",
        views.member_change_role,
        name="member_change_role",
    ),
    path(
        "agencies/<int:agency_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "agencies/<int:agency_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("secretariat/agencies/", views.secretariat_agencies, name="secretariat_agencies"),
]
