from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.access import requires
from nasab_site.labels import CHOICE_LABELS, TranslatedForm
from nasab_site.paging import page_of, query_without_page

from . import compiled, jobs, report, services, snp_confirm, workbench
from .models import (
    FamilyNotification,
    FrequencyTableFile,
    Identification,
    IdentificationStatus,
    LineageDatabaseFile,
    MatchCandidate,
    MatchingJob,
    ProgrammeSettings,
    ScoringRequest,
)
from .programme import (
    TableRefused,
    active_settings,
    change_settings,
    register_lineage_database,
    register_shared_lineage,
    register_table,
    shared_lineage_files,
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
    to_status = forms.ChoiceField(
        choices=IdentificationStatus.choices,
        error_messages={"required": _("Choose a decision: none is chosen for you.")},
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for this decision.")},
    )


class SettingsForm(TranslatedForm, forms.ModelForm):
    """The programme's matching model; saving records a new settings row."""

    class Meta:
        model = ProgrammeSettings
        fields = [
            "frequency_table",
            "mutation_model",
            "default_mutation_rate",
            "theta",
            "dropout_bone",
            "dropin_bone",
            "dropout_tooth",
            "dropin_tooth",
            "dropout_reference",
            "threshold",
            "prior_rule",
            "prior_value",
            "ystr_database",
            "ystr_method",
            "mtdna_database",
            "lineage_confidence",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency_table"].widget.attrs["translate"] = "no"  # file names
        self.initial["note"] = ""  # why the settings change now, not why they last did
        for name, kind in (("ystr_database", "Y"), ("mtdna_database", "mtDNA")):
            self.fields[name].widget.attrs["translate"] = "no"  # file names
            self.fields[name].queryset = LineageDatabaseFile.objects.filter(kind=kind).defer(
                "content"
            )
        # forms posted before the lineage settings existed keep the defaults
        self.fields["ystr_method"].required = False
        self.fields["lineage_confidence"].required = False
        for name, kind in (
            ("mutation_model", "mutation_model"),
            ("prior_rule", "prior_rule"),
            ("ystr_method", "ystr_method"),
        ):
            labels = CHOICE_LABELS[kind]
            self.fields[name].choices = [
                (value, labels.get(value, text)) for value, text in self.fields[name].choices
            ]

    def clean(self):
        data = super().clean()
        if data.get("prior_rule") == "fixed" and not data.get("prior_value"):
            self.add_error(
                "prior_value", gettext("Give the prior for the fixed rule (between 0 and 1).")
            )
        if not data.get("ystr_method"):
            data["ystr_method"] = "counting"
        if data.get("lineage_confidence") is None:
            data["lineage_confidence"] = 0.95
        return data


class TableForm(forms.Form):
    table = forms.FileField(label=_("Frequency table (Familias or TSV, as nasab reads them)"))
    description = forms.CharField(label=_("Description"), required=False, max_length=255)


class LineageDatabaseForm(forms.Form):
    """A Y-STR haplotype or mtDNA sequence database: uploaded, or a table of the shared
    data folder."""

    lineage_kind = forms.ChoiceField(label=_("Kind"))
    lineage_file = forms.FileField(
        label=_("Database table (docs/lineage.md: plain tab-separated table)"), required=False
    )
    shared = forms.ChoiceField(label=_("Or a table of the shared data folder"), required=False)
    lineage_description = forms.CharField(label=_("Description"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = CHOICE_LABELS["lineage_kind"]
        self.fields["lineage_kind"].choices = list(kinds.items())
        files = shared_lineage_files()
        self.fields["shared"].choices = [("", "—")] + [
            (f"{k}:{p.name}", p.name) for k, ps in files.items() for p in ps
        ]
        self.fields["shared"].widget.attrs["translate"] = "no"

    def clean(self):
        data = super().clean()
        if not data.get("lineage_file") and not data.get("shared"):
            raise forms.ValidationError(gettext("Upload a table or choose one of the shared data."))
        return data

    def register(self, user):
        data = self.cleaned_data
        if data.get("lineage_file"):
            upload = data["lineage_file"]
            return register_lineage_database(
                data["lineage_kind"],
                upload.name,
                upload.read(),
                user=user,
                description=data["lineage_description"],
            )
        kind, name = data["shared"].split(":", 1)
        return register_shared_lineage(kind, name, user=user)


@requires("matching.run")
def search(request):
    """Queue a full matching run; follow the jobs, the worker and the compiled store."""
    if request.method == "POST":
        job = jobs.enqueue(request.user)
        messages.success(
            request,
            gettext("Full matching run queued as job %(job)s; the matching worker runs it.")
            % {"job": job.pk},
        )
        return redirect("identification:search")
    programme = active_settings()
    state = compiled.store_state()
    return render(
        request,
        "identification/search.html",
        {
            "jobs": MatchingJob.objects.select_related("requested_by")[:20],
            "worker": jobs.worker_status(),
            "programme": programme,
            "store": state,
            "store_current": bool(state and state["settings_fingerprint"] == programme.fingerprint),
            "pending": ScoringRequest.objects.filter(done_at__isnull=True).count(),
            "refused": ScoringRequest.objects.exclude(error="").order_by("-pk")[:10],
        },
    )


@requires("matching.run")
def programme_settings(request):
    """The matching model in force, its history, and the registered frequency tables."""
    programme = active_settings()
    form = SettingsForm(instance=programme)
    table_form = TableForm()
    lineage_form = LineageDatabaseForm()
    if request.method == "POST" and "lineage_kind" in request.POST:
        lineage_form = LineageDatabaseForm(request.POST, request.FILES)
        if lineage_form.is_valid():
            try:
                db = lineage_form.register(request.user)
            except TableRefused as exc:
                lineage_form.add_error(None, str(exc))
            else:
                messages.success(request, gettext("Database %(db)s registered.") % {"db": db})
                return redirect("identification:programme_settings")
    elif request.method == "POST" and "table" in request.FILES:
        table_form = TableForm(request.POST, request.FILES)
        if table_form.is_valid():
            upload = table_form.cleaned_data["table"]
            try:
                table = register_table(
                    upload.name,
                    upload.read(),
                    user=request.user,
                    description=table_form.cleaned_data["description"],
                )
            except TableRefused as exc:
                table_form.add_error("table", str(exc))
            else:
                messages.success(request, gettext("Table %(table)s registered.") % {"table": table})
                return redirect("identification:programme_settings")
    elif request.method == "POST":
        form = SettingsForm(
            request.POST, instance=ProgrammeSettings(frequency_table=programme.frequency_table)
        )
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in form.Meta.fields if f != "note"}
            try:
                new = change_settings(user=request.user, note=form.cleaned_data["note"], **values)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if new.pk != programme.pk:
                    job = compiled.queue_full_run(f"settings changed ({new})")
                    messages.success(
                        request,
                        gettext("New settings recorded; full matching run queued (job %(job)s).")
                        % {"job": job.pk},
                    )
                else:
                    messages.info(request, gettext("Nothing changed."))
                return redirect("identification:programme_settings")
    return render(
        request,
        "identification/settings.html",
        {
            "programme": programme,
            "form": form,
            "table_form": table_form,
            "lineage_form": lineage_form,
            "history": ProgrammeSettings.objects.select_related(
                "frequency_table", "created_by", "ystr_database", "mtdna_database"
            ).defer(
                "frequency_table__content", "ystr_database__content", "mtdna_database__content"
            )[:20],
            "tables": FrequencyTableFile.objects.defer("content"),
            "lineage_databases": LineageDatabaseFile.objects.defer("content"),
        },
        status=400 if form.errors or table_form.errors or lineage_form.errors else 200,
    )


LIST_FILTERS = {
    "candidate": Q(identification__isnull=True)
    | Q(identification__status=IdentificationStatus.CANDIDATE),
    "waiting": Q(
        identification__status__in=[
            IdentificationStatus.PRELIMINARY,
            IdentificationStatus.EXCLUSION_PROPOSED,
        ]
    ),
    "confirmed": Q(identification__status=IdentificationStatus.CONFIRMED),
    "excluded": Q(identification__status=IdentificationStatus.EXCLUDED),
}


@requires("matches.view")
def candidate_list(request):
    # the current figure of each pair, and older ones flagged for review (a withdrawn donor)
    candidates = MatchCandidate.objects.filter(
        Q(current=True) | Q(needs_review=True)
    ).select_related("remains", "person", "identification")
    chosen = request.GET.get("status", "")
    if chosen in LIST_FILTERS:
        candidates = candidates.filter(LIST_FILTERS[chosen])
    page = page_of(request, candidates)
    return render(
        request,
        "identification/candidate_list.html",
        {
            "candidates": page,
            "page": page,
            "page_query": query_without_page(request),
            "chosen": chosen,
            "filters": [
                ("", _("All")),
                ("candidate", _("Awaiting a first decision")),
                ("waiting", _("Awaiting a second person")),
                ("confirmed", _("Confirmed")),
                ("excluded", _("Excluded")),
            ],
        },
    )


def _render_detail(request, pk, form=None, status=200):
    candidate = get_object_or_404(
        MatchCandidate.objects.select_related("remains__site", "person"), pk=pk
    )
    identification = services.identification_for(candidate)
    return render(
        request,
        "identification/candidate_detail.html",
        {
            "candidate": candidate,
            "identification": identification,
            "decisions": identification.decisions.select_related("decided_by"),
            "available": services.available_to(request.user, identification),
            "waiting_for_other": services.options(identification)
            and not services.available_to(request.user, identification)
            and any(
                services.refusal(identification, t, request.user)
                for t in services.options(identification)
            ),
            "review": workbench.review(candidate, translation.get_language()),
            "form": form or DecisionForm(),
            "snp": _snp_context(candidate),
        },
        status=status,
    )


def _snp_context(candidate) -> dict:
    """The newest stored SNP confirmation (stage 2), as stored; nothing computed here."""
    confirmation, stale = snp_confirm.latest(candidate)
    return {
        "confirmation": confirmation,
        "stale": stale,
        "summary": snp_confirm.summary(confirmation) if confirmation else None,
    }


@requires("matches.view")
def candidate_detail(request, pk):
    return _render_detail(request, pk)


@require_POST
@requires("matches.view")
def compute_snp_confirmation(request, pk):
    """Stage 2 on a reviewer's request: computed once, stored and audited."""
    candidate = get_object_or_404(MatchCandidate, pk=pk)
    confirmation = snp_confirm.record_snp_confirmation(candidate, user=request.user)
    if confirmation.error:
        messages.error(
            request,
            gettext("SNP confirmation not possible: %(why)s") % {"why": confirmation.error},
        )
    else:
        messages.success(request, gettext("SNP confirmation computed and recorded."))
    return redirect("identification:candidate_detail", pk=pk)


@require_POST
@requires("matches.view")
def decide(request, pk):
    candidate = get_object_or_404(MatchCandidate, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(
                services.identification_for(candidate),
                form.cleaned_data["to_status"],
                request.user,
                form.cleaned_data["reason"],
            )
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
        Identification.objects.select_related(
            "candidate__person", "candidate__remains__site", "analyst", "confirmed_by"
        ),
        pk=pk,
        status=IdentificationStatus.CONFIRMED,
    )
    try:
        issued = report.issue(identification, language, request.user)
    except report.ReportUnavailable as exc:
        return HttpResponse(
            str(exc),
            status=503 if "WeasyPrint" in str(exc) else 400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(bytes(issued.pdf), content_type="application/pdf")
    name = f"identification-{identification.candidate.person.case_number}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Report-SHA256"] = issued.content_sha256
    return response


@requires("family.notify")
def notification_list(request):
    """Confirmed identifications and whether the family has been told."""
    confirmed = (
        Identification.objects.filter(status=IdentificationStatus.CONFIRMED)
        .select_related("candidate__person", "candidate__remains")
        .prefetch_related("notifications__relative")
        .order_by("-confirmed_at")
    )
    return render(request, "identification/notification_list.html", {"identifications": confirmed})


@requires("family.notify")
def notify(request, pk):
    identification = get_object_or_404(
        Identification.objects.select_related("candidate__person"),
        pk=pk,
        status=IdentificationStatus.CONFIRMED,
    )
    form = NotificationForm(
        request.POST or None,
        instance=FamilyNotification(identification=identification, notified_by=request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.record_notification(form.save(commit=False), request.user)
        messages.success(request, gettext("Notification of the family recorded."))
        return redirect("identification:notification_list")
    return render(
        request, "identification/notify.html", {"form": form, "identification": identification}
    )
