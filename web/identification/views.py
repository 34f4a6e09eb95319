from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.access import requires
from nasab_site.labels import TranslatedForm
from nasab_site.paging import page_of, query_without_page

from . import jobs, report, services, workbench
from .models import (
    FamilyNotification,
    Identification,
    IdentificationStatus,
    MatchCandidate,
    MatchingJob,
)


class NotificationForm(TranslatedForm, forms.ModelForm):
    class Meta:
        model = FamilyNotification
        fields = ["relative", "notified_on", "method", "support_offered", "notes"]
        widgets = {"notified_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.instance.identification.candidate.person
        self.fields["relative"].queryset = person.relatives.filter(deceased=False)


class DecisionForm(forms.Form):
    to_status = forms.ChoiceField(choices=IdentificationStatus.choices, error_messages={
        "required": _("Choose a decision: none is chosen for you.")})
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), error_messages={
        "required": _("Give the reason for this decision.")})


class SearchForm(forms.Form):
    prior = forms.FloatField(required=False, help_text="Leave empty for 1 / number of missing persons.")
    min_log10_lr = forms.FloatField(initial=0.0, label="Keep results with log10 LR at least")


@requires("matching.run")
def search(request):
    """Queue a matching job (run by manage.py matching_worker) and follow the jobs."""
    form = SearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.enqueue(request.user, prior=form.cleaned_data["prior"],
                               min_log10_lr=form.cleaned_data["min_log10_lr"] or 0.0)
        except jobs.JobRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Search queued as job {job.pk}; the matching worker will run it.")
            return redirect("identification:search")
    recent = MatchingJob.objects.select_related("requested_by")[:20]
    return render(request, "identification/search.html", {"form": form, "jobs": recent},
                  status=400 if form.errors else 200)


LIST_FILTERS = {
    "candidate": Q(identification__isnull=True) | Q(identification__status=IdentificationStatus.CANDIDATE),
    "waiting": Q(identification__status__in=[IdentificationStatus.PRELIMINARY,
                                             IdentificationStatus.EXCLUSION_PROPOSED]),
    "confirmed": Q(identification__status=IdentificationStatus.CONFIRMED),
    "excluded": Q(identification__status=IdentificationStatus.EXCLUDED),
}


@requires("matches.view")
def candidate_list(request):
    candidates = MatchCandidate.objects.select_related("remains", "person", "identification")
    chosen = request.GET.get("status", "")
    if chosen in LIST_FILTERS:
        candidates = candidates.filter(LIST_FILTERS[chosen])
    page = page_of(request, candidates)
    return render(request, "identification/candidate_list.html", {
        "candidates": page, "page": page, "page_query": query_without_page(request),
        "chosen": chosen, "filters": [("", _("All")), ("candidate", _("Awaiting a first decision")),
                                      ("waiting", _("Awaiting a second person")),
                                      ("confirmed", _("Confirmed")), ("excluded", _("Excluded"))]})


def _render_detail(request, pk, form=None, status=200):
    candidate = get_object_or_404(MatchCandidate.objects.select_related("remains__site", "person"), pk=pk)
    identification = services.identification_for(candidate)
    return render(request, "identification/candidate_detail.html", {
        "candidate": candidate, "identification": identification,
        "decisions": identification.decisions.select_related("decided_by"),
        "available": services.available_to(request.user, identification),
        "waiting_for_other": services.options(identification) and not services.available_to(
            request.user, identification) and any(
            services.refusal(identification, t, request.user) for t in services.options(identification)),
        "review": workbench.review(candidate, translation.get_language()),
        "form": form or DecisionForm()}, status=status)


@requires("matches.view")
def candidate_detail(request, pk):
    return _render_detail(request, pk)


@require_POST
@requires("matches.view")
def decide(request, pk):
    candidate = get_object_or_404(MatchCandidate, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(services.identification_for(candidate), form.cleaned_data["to_status"],
                            request.user, form.cleaned_data["reason"])
        except services.DecisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            label = IdentificationStatus(form.cleaned_data["to_status"]).label
            messages.success(request, gettext("Decision recorded: %(status)s.") % {"status": label})
            return redirect("identification:candidate_detail", pk=pk)
    return _render_detail(request, pk, form=form, status=400)


@requires("identification.report")
def report_pdf(request, pk, language):
    """The PDF report of a confirmed identification (audited on every download)."""
    identification = get_object_or_404(
        Identification.objects.select_related("candidate__person", "candidate__remains__site",
                                              "analyst", "confirmed_by"),
        pk=pk, status=IdentificationStatus.CONFIRMED)
    try:
        issued = report.issue(identification, language, request.user)
    except report.ReportUnavailable as exc:
        return HttpResponse(str(exc), status=503 if "WeasyPrint" in str(exc) else 400,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(bytes(issued.pdf), content_type="application/pdf")
    name = f"identification-{identification.candidate.person.case_number}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Report-SHA256"] = issued.content_sha256
    return response


@requires("family.notify")
def notification_list(request):
    """Confirmed identifications and whether the family has been told."""
    confirmed = (Identification.objects.filter(status=IdentificationStatus.CONFIRMED)
                 .select_related("candidate__person", "candidate__remains")
                 .prefetch_related("notifications__relative").order_by("-confirmed_at"))
    return render(request, "identification/notification_list.html", {"identifications": confirmed})


@requires("family.notify")
def notify(request, pk):
    identification = get_object_or_404(
        Identification.objects.select_related("candidate__person"), pk=pk,
        status=IdentificationStatus.CONFIRMED)
    form = NotificationForm(request.POST or None, instance=FamilyNotification(
        identification=identification, notified_by=request.user))
    if request.method == "POST" and form.is_valid():
        services.record_notification(form.save(commit=False), request.user)
        messages.success(request, "Notification of the family recorded.")
        return redirect("identification:notification_list")
    return render(request, "identification/notify.html", {"form": form, "identification": identification})
