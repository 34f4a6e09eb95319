from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from fieldwork.models import GraveSite, RemainsUnit, Sample
from identification.models import Identification, IdentificationStatus, MatchCandidate
from registry.models import MissingPerson

from .roles import can


@login_required
def dashboard(request):
    user = request.user
    counts = {}
    if can(user, "registry.view"):
        counts["Missing persons"] = MissingPerson.objects.count()
    if can(user, "sites.view"):
        counts["Grave sites"] = GraveSite.objects.count()
        counts["Remains units"] = RemainsUnit.objects.count()
        counts["Samples"] = Sample.objects.count()
    if can(user, "matches.view"):
        counts["Match candidates"] = MatchCandidate.objects.count()
        counts["Awaiting confirmation"] = Identification.objects.filter(
            status=IdentificationStatus.PRELIMINARY).count()
        counts["Confirmed identifications"] = Identification.objects.filter(
            status=IdentificationStatus.CONFIRMED).count()
    return render(request, "accounts/dashboard.html", {"counts": counts})
