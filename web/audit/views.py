from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import requires

from .models import AuditEvent


@requires("audit.view")
def event_list(request):
    page = Paginator(AuditEvent.objects.all(), 100).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"page": page})
