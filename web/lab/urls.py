from django.urls import path

from . import views

app_name = "lab"
urlpatterns = [
    path("profiles/", views.profile_list, name="profile_list"),
    path("profiles/import/", views.profile_import, name="profile_import"),
    path("profiles/import/snp/", views.snp_import, name="snp_import"),
    path("profiles/export/", views.profile_export, name="profile_export"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile_detail"),
]
