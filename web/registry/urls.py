from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<ident:case_number>/", views.person_detail, name="person_detail"),
    path("<ident:case_number>/add/<slug:kind>/", views.record_add, name="record_add"),
    path("relatives/<int:pk>/consent/", views.consent_create, name="consent_create"),
    path("relatives/<int:pk>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("relatives/<int:pk>/missing/", views.relative_missing, name="relative_missing"),
]
