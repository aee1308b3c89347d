from django.urls import path

from . import views

app_name = "ourweek"

urlpatterns = [
    path("", views.index, name="index"),
    path("time/", views.weekly_time, name="time"),
    path("start/", views.start, name="start"),
    path("history/", views.history, name="history"),
    path("<int:pk>/", views.week, name="week"),
    path("<int:pk>/state/", views.state, name="state"),
    path("<int:pk>/step/<int:step>/", views.step, name="step"),
    path("<int:pk>/finish/", views.finish, name="finish"),
    path("<int:pk>/note/", views.save_note, name="note"),
    path("wishes/<int:pk>/done/", views.wish_done, name="wish_done"),
]
