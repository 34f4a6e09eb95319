from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<str:case_number>/", views.person_detail, name="person_detail"),
]
