from django.urls import path

from . import views

app_name = "couples"

urlpatterns = [
    path("settings/", views.profile_settings, name="settings"),
    path("settings/export/", views.export, name="export"),
    path("settings/delete/", views.delete_account, name="delete_account"),
    path("invite/", views.invite, name="invite"),
    path("invite/<int:pk>/withdraw/", views.revoke_invitation, name="revoke_invitation"),
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path("join/", views.join, name="join"),
    path("join/invitation/", views.pending_invitation, name="pending_invitation"),
    path("couple/", views.couple_profile, name="couple"),
    path("couple/end/", views.end_couple, name="end"),
    path("archive/<uuid:couple_id>/", views.archive, name="archive"),
]
