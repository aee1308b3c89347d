from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("pause/", views.pause_mine, name="pause_mine"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("pause/<str:token>/", views.pause_link, name="pause"),
]
