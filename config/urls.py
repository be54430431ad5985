"""URL routes of the whole site; each app owns its own urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("jixiao.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("jixiao.accounts.urls")),
    path("evaluations/", include("jixiao.evaluations.urls")),
    path("campaigns/", include("jixiao.campaigns.urls")),
    path("reviews/", include("jixiao.reviews.urls")),
    path("monitoring/", include("jixiao.monitoring.urls")),
    path("targets/", include("jixiao.targets.urls")),
    path("organisations/", include("jixiao.organisations.urls")),
    path("projects/", include("jixiao.projects.urls")),
    path("audit/", include("jixiao.audit.urls")),
    path("portal/", include("jixiao.portal.urls")),
    path("api/", include("jixiao.api.urls")),
    path("documents/", include("jixiao.documents.urls")),
    path("activity/", include("jixiao.activity.urls")),
    path("jobs/", include("jixiao.jobs.urls")),
    path("indicators/", include("jixiao.indicators.urls")),
    path("notifications/", include("jixiao.notifications.urls")),
    path("rectification/", include("jixiao.rectification.urls")),
    path("results/", include("jixiao.results.urls")),
]
