from django.urls import path

from . import views

app_name = "custody"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("export/", views.export, name="export"),
    path("<ident:object_id>/", views.log, name="log"),
    path("<ident:object_id>/record/", views.record, name="record"),
]
