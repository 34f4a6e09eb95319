from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import requires
from nasab_site.paging import page_of, query_without_page

from . import services
from .forms import (
    ConsentForm,
    DisappearanceForm,
    MissingPersonForm,
    MissingPlaceForm,
    RelativeForm,
    ReportForm,
    WithdrawForm,
)
from .models import Consent, DisappearanceEvent, MissingPerson, Relative, Report

# What can be added to a missing person's record: form, model, page title.
RECORD_KINDS = {
    "disappearance": (
        DisappearanceForm,
        DisappearanceEvent,
        gettext_lazy("Record the disappearance"),
    ),
    "report": (ReportForm, Report, gettext_lazy("Record a report")),
    "relative": (RelativeForm, Relative, gettext_lazy("Add a relative to the pedigree")),
}


@requires("registry.view")
def person_list(request):
    persons = MissingPerson.objects.all()
    query = request.GET.get("q", "").strip()
    if query:
        persons = (
            persons.filter(name_ar__icontains=query)
            | persons.filter(name_latin__icontains=query)
            | persons.filter(case_number__iexact=query)
        )
    page = page_of(request, persons)
    return render(
        request,
        "registry/person_list.html",
        {"persons": page, "page": page, "page_query": query_without_page(request), "q": query},
    )


@requires("registry.view")
def person_detail(request, case_number):
    person = get_object_or_404(MissingPerson, case_number=case_number)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "relatives": person.relatives.select_related(
                "father", "mother", "missing_person"
            ).prefetch_related("consents", "samples"),
            "disappearances": person.disappearances.all(),
            "reports": person.reports.all(),
            "record_kinds": [(kind, title) for kind, (_f, _m, title) in RECORD_KINDS.items()],
            "estimate": _estimate(person),
        },
    )


def _estimate(person):
    """The family's stored nasab.power estimate in the intake dashboard's words (computed by
    the matching worker, never in this request): state and date, whom to ask next."""
    from identification import estimates, workbench

    estimate = estimates.current(person)
    return {
        "words": workbench.estimate_words(estimate),
        "computed_at": estimate.computed_at,
        "computing": estimate.computing,
        "enough": estimate.refs is not None and estimate.refs.enough,
        "error": estimate.refs.error if estimate.refs is not None else "",
    }


@requires("registry.edit")
def person_create(request):
    form = MissingPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.register_person(form.save(commit=False), request.user)
        messages.success(request, _("Registered as %(case)s.") % {"case": person.case_number})
        return redirect("registry:person_detail", case_number=person.case_number)
    return render(
        request, "registry/form.html", {"form": form, "title": _("Register a missing person")}
    )


@requires("registry.edit")
def record_add(request, case_number, kind):
    person = get_object_or_404(MissingPerson, case_number=case_number)
    if kind not in RECORD_KINDS:
        return redirect("registry:person_detail", case_number=case_number)
    form_class, model, title = RECORD_KINDS[kind]
    instance = model(person=person)
    if kind == "report":
        instance.received_by = request.user
    extra = {"user": request.user} if kind == "relative" else {}
    form = form_class(request.POST or None, instance=instance, **extra)
    if request.method == "POST" and form.is_valid():
        services.add_record(form.save(commit=False), request.user, kind)
        messages.success(request, _("%(what)s: saved.") % {"what": title})
        return redirect("registry:person_detail", case_number=case_number)
    return render(request, "registry/form.html", {"form": form, "title": f"{title} ({person})"})


@requires("registry.edit")
def consent_create(request, pk):
    relative = get_object_or_404(Relative.objects.select_related("person"), pk=pk)
    form = ConsentForm(request.POST or None, instance=Consent(relative=relative))
    if request.method == "POST" and form.is_valid():
        services.record_consent(
            form.save(commit=False), form.cleaned_data["share_with"], request.user
        )
        messages.success(
            request,
            _("Consent of %(name)s recorded.") % {"name": relative.name_ar or relative.name_latin},
        )
        return redirect("registry:person_detail", case_number=relative.person.case_number)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Record consent of %(name)s")
            % {"name": relative.name_ar or relative.name_latin},
        },
    )


@require_POST
@requires("registry.edit")
def consent_withdraw(request, pk):
    relative = get_object_or_404(Relative.objects.select_related("person"), pk=pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    count = services.withdraw_consent(
        relative, form.cleaned_data.get("reason", ""), user=request.user
    )
    if count:
        messages.success(
            request,
            _("Consent withdrawn. Profiles of %(name)s are no longer searched or exported.")
            % {"name": relative.name_ar or relative.name_latin},
        )
    else:
        messages.error(request, _("There was no active consent to withdraw."))
    return redirect("registry:person_detail", case_number=relative.person.case_number)


@requires("registry.edit")
def relative_missing(request, pk):
    """Record which missing person this member of the pedigree is (several missing in one
    family), or that he is not missing: a recorded correction, then matching recompiles."""
    from audit.corrections import CorrectionRefused

    relative = get_object_or_404(Relative.objects.select_related("person", "missing_person"), pk=pk)
    form = MissingPlaceForm(request.POST or None, relative=relative)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["missing_person"]
        try:
            services.set_missing_place(
                relative, person, user=request.user, reason=form.cleaned_data["reason"]
            )
        except CorrectionRefused as exc:
            form.add_error(None, str(exc))
        else:
            if person is None:
                text = _("%(name)s is no longer recorded as missing.")
            else:
                text = _("%(name)s recorded as the missing person %(case)s.")
            messages.success(
                request,
                text
                % {
                    "name": relative.name_ar or relative.name_latin,
                    "case": person.case_number if person else "",
                },
            )
            return redirect("registry:person_detail", case_number=relative.person.case_number)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Is %(name)s one of the missing? (pedigree of %(case)s)")
            % {
                "name": relative.name_ar or relative.name_latin,
                "case": relative.person.case_number,
            },
        },
    )
