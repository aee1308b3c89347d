from django.urls import path

from .views import checkins, closeness, hopes

app_name = "feelings"

urlpatterns = [
    path("feelings/", checkins.start, name="checkin"),
    path("feelings/new/<str:core>/", checkins.new, name="new"),
    path("feelings/history/", checkins.history, name="history"),
    path("feelings/<int:pk>/", checkins.detail, name="detail"),
    path("feelings/<int:pk>/respond/", checkins.respond, name="respond"),
    path("feelings/hopes/", hopes.hopes, name="hopes"),
    path("feelings/hopes/<int:pk>/share/", hopes.share, name="hope_share"),
    path("feelings/hopes/<int:pk>/respond/", hopes.respond, name="hope_respond"),
    path("feelings/hopes/<int:pk>/settle/", hopes.settle, name="hope_settle"),
    path("feelings/closeness/", closeness.closeness, name="closeness"),
]
