from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("digits/", views.set_digits, name="digits"),
    path("report/", views.report, name="report"),
    path("report/done/", views.report_done, name="report_done"),
    path("case/", views.access, name="access"),
    path("case/status/", views.status, name="status"),
    path("case/relatives/", views.relatives, name="relatives"),
    path("case/details/", views.details, name="details"),
    path("case/leave/", views.leave, name="leave"),
    path("staff/duplicates/", views.duplicates, name="duplicates"),
    path("staff/duplicates/<int:pk>/undo/", views.undo_merge, name="undo_merge"),
    path("staff/pfif/", views.pfif_import, name="pfif"),
    path("staff/cases/", views.cases, name="cases"),
    path("staff/cases/<int:pk>/reset-secret/", views.reset_secret, name="reset_secret"),
]
