from django.urls import path

from . import push_views, views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("pause/", views.pause_mine, name="pause_mine"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("pause/<str:token>/", views.pause_link, name="pause"),
]

urlpatterns += [
    path("push/subscribe/", push_views.subscribe, name="push_subscribe"),
    path("push/unsubscribe/", push_views.unsubscribe, name="push_unsubscribe"),
    path("devices/<int:pk>/remove/", push_views.remove_device, name="remove_device"),
    path("channels/", push_views.channels, name="channels"),
]
