from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from couples import language
from couples import views as couple_views
from practices.views import home as home_views
from reminders import pwa
from reminders import views as reminder_views

# The admin signs in through allauth, so its rate limits and two-factor login apply.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home_views.landing, name="landing"),
    path("healthz", couple_views.healthz, name="healthz"),
    # Where django.conf.urls.i18n puts it, open to signed-out visitors (couples/language.py).
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("couples.urls")),
    path("", include("practices.urls")),
    path("reminders/", include("reminders.urls")),
    path("", include("feelings.urls")),
    path("ourweek/", include("ourweek.urls")),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("metrics", reminder_views.metrics, name="metrics"),
    path("", include("rituals.urls")),
]
