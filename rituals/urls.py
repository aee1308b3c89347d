from django.urls import path

from . import views

app_name = "rituals"

urlpatterns = [
    path("rituals/", views.rituals, name="rituals"),
    path("rituals/new/", views.new, name="new"),
    path("rituals/<int:pk>/propose/", views.propose, name="propose"),
    path("rituals/<int:pk>/done/", views.done, name="done"),
    path("rituals/chosen/<int:pk>/accept/", views.accept, name="accept"),
    path("rituals/chosen/<int:pk>/retire/", views.retire, name="retire"),
    path("rituals/warm-touch/", views.plan_propose, name="plan_propose"),
    path("rituals/warm-touch/<int:pk>/accept/", views.plan_accept, name="plan_accept"),
    path("rituals/warm-touch/<int:pk>/stop/", views.plan_stop, name="plan_stop"),
    path("rituals/warm-touch/<int:pk>/moment/", views.plan_moment, name="plan_moment"),
    path("thinking-of-you/", views.thinking, name="thinking"),
    path("learn/", views.learn, name="learn"),
    path("learn/<int:pk>/", views.learn_item, name="learn_item"),
    path("learn/<int:pk>/status/", views.learn_status, name="learn_status"),
    path("learn/<int:pk>/reflect/", views.learn_reflect, name="learn_reflect"),
]
