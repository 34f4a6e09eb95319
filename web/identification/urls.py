from django.urls import path

from . import views

app_name = "identification"
urlpatterns = [
    path("", views.candidate_list, name="candidate_list"),
    path("search/", views.search, name="search"),
    path("settings/", views.programme_settings, name="programme_settings"),
    path("<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/snp/", views.compute_snp_confirmation, name="snp_confirmation"),
    path("identifications/<int:pk>/report-<str:language>.pdf", views.report_pdf, name="report_pdf"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/", views.notify, name="notify"),
]
