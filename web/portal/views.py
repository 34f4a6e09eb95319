"""Family portal pages (public, no login) and the staff duplicates pages. Thin: the logic
is in :mod:`portal.services`, :mod:`portal.sufficiency` and :mod:`portal.linkage_adapter`."""

from __future__ import annotations

import re
import secrets
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import requires
from identification import estimates
from nasab_site.client_address import client_address
from registry.models import MissingPerson

from . import linkage_adapter, numerals, services, sufficiency, tree
from .forms import (
    AccessForm,
    AntemortemForm,
    CaseStatusForm,
    DecisionForm,
    DigitsForm,
    PFIFForm,
    RelativeForm,
    ReportForm,
    SecretResetForm,
    UndoForm,
)
from .labels import RELATIONSHIP
from .models import CaseStatus, DuplicateDecision, PortalCase

SESSION_CASE = "portal_case"
SESSION_SHOWN = "portal_secret_once"


SESSION_STAMP = "portal_case_stamp"


def _ip(request) -> str | None:
    """The client's address, from the configured trusted proxy header only."""
    return client_address(request)


def _open(request, case: PortalCase) -> None:
    request.session[SESSION_CASE] = case.pk
    request.session[SESSION_STAMP] = services.session_stamp(case)


def _current_case(request) -> PortalCase | None:
    pk = request.session.get(SESSION_CASE)
    case = PortalCase.objects.filter(pk=pk).select_related("report__person").first() if pk else None
    if case is not None and request.session.get(SESSION_STAMP) != services.session_stamp(case):
        request.session.flush()  # the secret was reset since this session was opened
        return None
    return case


def home(request):
    return render(request, "portal/home.html")


@require_POST
def set_digits(request):
    form = DigitsForm(request.POST)
    nxt = request.POST.get("next") or reverse("portal:home")
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        nxt = reverse("portal:home")
    response = HttpResponseRedirect(nxt)
    if form.is_valid():
        response.set_cookie(
            numerals.COOKIE, form.cleaned_data["digits"], max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


@never_cache
def report(request):
    if request.method == "POST":
        token = request.POST.get("submission_token", "")
        form = ReportForm(request.POST)
        if len(token) >= 20 and form.is_valid():
            sub = services.submit_report(form.cleaned_data, token, translation.get_language())
            if sub.secret:
                request.session[SESSION_SHOWN] = {"code": sub.case.code, "secret": sub.secret}
            _open(request, sub.case)
            return redirect("portal:report_done")
        if len(token) < 20:
            token = secrets.token_urlsafe(24)
    else:
        form = ReportForm()
        token = secrets.token_urlsafe(24)
    return render(request, "portal/report.html", {"form": form, "token": token})


@never_cache
def report_done(request):
    case = _current_case(request)
    if case is None:
        return redirect("portal:home")
    shown = request.session.pop(SESSION_SHOWN, None)
    secret = shown["secret"] if shown and shown.get("code") == case.code else None
    return render(request, "portal/done.html", {"case": case, "secret": secret})


@never_cache
def access(request):
    """Case code + secret: the only way to a case. Same answer for any failure."""
    error = None
    if request.method == "POST":
        form = AccessForm(request.POST)
        if form.is_valid():
            try:
                case = services.open_case(
                    form.cleaned_data["code"], form.cleaned_data["secret"], _ip(request)
                )
            except services.RateLimited as exc:
                case, error = None, str(exc)
            if case is not None:
                request.session.cycle_key()
                _open(request, case)
                return redirect("portal:status")
            error = error or _("The case code and secret do not match. Check both and try again.")
            form = AccessForm()  # nothing typed is echoed: every failure reads the same
    else:
        form = AccessForm()
    return render(request, "portal/access.html", {"form": form, "error": error})


def _case_or_access(request):
    case = _current_case(request)
    if case is None:
        return None, redirect("portal:access")
    return case, None


@never_cache
def status(request):
    case, back = _case_or_access(request)
    if back:
        return back
    return render(
        request,
        "portal/status.html",
        {
            "case": case,
            "state": services.family_status(case),
            "phone_tel": re.sub(r"[^0-9+]", "", settings.NASAB_CONTACT_PHONE),
            **_relatives_context(case, numerals.preference(request)),
        },
    )


@require_POST
def leave(request):
    request.session.flush()
    return redirect("portal:home")


def _relatives_context(case: PortalCase, digits: str) -> dict:
    person = case.report.person
    relatives = list(person.relatives.all())
    mp_label = person.given_name or person.name_latin or _("Missing person")
    items = [
        (
            r.name_ar or r.name_latin,
            r.claimed_relationship,
            str(RELATIONSHIP.get(r.claimed_relationship, r.claimed_relationship)),
        )
        for r in relatives
    ]
    context = {
        "relatives": relatives,
        "labels": RELATIONSHIP,
        "tree": tree.svg(mp_label, items, _("Family tree")),
        "hundred": numerals.localise(100, digits),
    }
    # Once relatives' samples have been analysed: the engine's power module on the family's
    # own references (identification.references), as the matching worker last computed it
    # (identification.estimates: never inside this request), with its date; before that, an
    # estimate from the relatives named (portal.sufficiency).
    estimate = estimates.current(person)
    context.update(estimate_computing=estimate.computing, estimate_on=estimate.computed_at)
    typed = estimate.refs
    if typed is not None and typed.power is not None:
        context.update(
            typed=True,
            assessment=SimpleNamespace(available=True, enough=typed.enough, power=typed.power),
            power=numerals.localise(typed.percent, digits),
            suggestions=[
                (s.who, numerals.localise(round(s.power * 100), digits))
                for s in typed.suggestions
                if s.power is not None
            ],
        )
        return context
    living = [r.claimed_relationship for r in relatives if not r.deceased]
    assessment = sufficiency.assess(living, mp_male=person.sex != "F")
    context.update(
        typed=False,
        assessment=assessment,
        suggestions=[
            (str(RELATIONSHIP[s.relationship]), numerals.localise(round(s.power * 100), digits))
            for s in assessment.suggestions
        ],
        power=None
        if assessment.power is None
        else numerals.localise(round(assessment.power * 100), digits),
    )
    return context


@never_cache
def relatives(request):
    case, back = _case_or_access(request)
    if back:
        return back
    form = RelativeForm()
    if request.method == "POST":
        form = RelativeForm(request.POST)
        if form.is_valid():
            try:
                services.add_relative(case, form.cleaned_data)
            except services.PortalError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Relative added."))
                return redirect("portal:relatives")
    return render(
        request,
        "portal/relatives.html",
        {"case": case, "form": form, **_relatives_context(case, numerals.preference(request))},
    )


@never_cache
def details(request):
    case, back = _case_or_access(request)
    if back:
        return back
    if request.method == "POST":
        form = AntemortemForm(request.POST)
        if form.is_valid():
            services.save_antemortem(case, form.cleaned_data)
            messages.success(
                request,
                _("Saved. You can come back later with your case code and secret to continue."),
            )
            return redirect("portal:details")
    else:
        form = AntemortemForm(initial=case.antemortem)
    return render(request, "portal/details.html", {"case": case, "form": form})


# --- staff -----------------------------------------------------------------------------


@requires("registry.edit")
def duplicates(request):
    ok, why = linkage_adapter.available()
    pairs, undecided, error = [], [], ""
    if ok:
        hidden = services.merged_away_ids()
        rejected = services.rejected_pairs()
        persons = MissingPerson.objects.exclude(pk__in=hidden).prefetch_related(
            "reports", "disappearances"
        )
        try:
            found, doubtful = linkage_adapter.review_lists(persons)
        except linkage_adapter.LinkageUnavailable as exc:
            ok, why = False, str(exc)
        else:
            pairs, undecided = (
                [p for p in lst if frozenset((p.person_a.pk, p.person_b.pk)) not in rejected]
                for lst in (found, doubtful)
            )
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            a = get_object_or_404(MissingPerson, pk=d["person_a"])
            b = get_object_or_404(MissingPerson, pk=d["person_b"])
            reasons = next(
                (
                    list(p.reasons)
                    for p in (*pairs, *undecided)
                    if {p.person_a.pk, p.person_b.pk} == {a.pk, b.pk}
                ),
                [],
            )
            action = services.merge if d["decision"] == "merge" else services.reject
            try:
                action(a, b, request.user, d["reason"], d.get("score"), reasons)
            except services.PortalError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Decision recorded."))
            return redirect("portal:duplicates")
        messages.error(request, _("Give a reason for the decision."))
    return render(
        request,
        "portal/staff_duplicates.html",
        {
            "available": ok,
            "why": why,
            "error": error,
            "pairs": pairs,
            "undecided": undecided,
            "decisions": DuplicateDecision.objects.select_related(
                "person_kept", "person_other", "decided_by"
            )[:50],
        },
    )


@requires("registry.edit")
@require_POST
def undo_merge(request, pk: int):
    decision = DuplicateDecision.objects.filter(pk=pk).first()
    form = UndoForm(request.POST)
    if decision is None:
        messages.error(request, _("No such decision."))
    elif not form.is_valid():
        messages.error(request, _("Give a reason for undoing the merge."))
    else:
        try:
            services.undo_merge(decision, request.user, form.cleaned_data["reason"])
        except services.PortalError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Merge undone."))
    return redirect("portal:duplicates")


@requires("registry.edit")
def cases(request):
    """Portal cases and the state each family sees (it follows the identification and the
    notification); an intake officer may override it, giving a reason (audited)."""
    if request.method == "POST":
        form = CaseStatusForm(request.POST)
        case = (
            PortalCase.objects.filter(pk=form.data.get("case") or 0).first()
            if form.is_valid()
            else None
        )
        if case is None:
            messages.error(request, _("Give a reason for the change."))
        else:
            try:
                case = services.override_status(
                    case, form.cleaned_data["status"], form.cleaned_data["reason"], request.user
                )
            except services.PortalError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"{case.code}: {services.family_status(case).label}.")
        return redirect("portal:cases")
    page = PortalCase.objects.select_related("report__person", "override_by")[:200]
    return render(
        request,
        "portal/staff_cases.html",
        {
            "cases": [(case, services.family_status(case)) for case in page],
            "statuses": CaseStatus.choices,
        },
    )


@requires("registry.edit")
def reset_secret(request, pk: int):
    """Staff-assisted secret reset: the family member is present or called, their identity
    checked; the new secret is shown once here, to be handed over."""
    case = get_object_or_404(PortalCase.objects.select_related("report__person"), pk=pk)
    form = SecretResetForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            secret = services.reset_secret(
                case,
                request.user,
                form.cleaned_data["reason"],
                form.cleaned_data["identity_checked"],
            )
        except services.PortalError as exc:
            form.add_error(None, str(exc))
        else:
            form = None
    return render(
        request, "portal/staff_reset.html", {"case": case, "form": form, "secret": secret}
    )


@requires("registry.edit")
def pfif_import(request):
    ok, why = linkage_adapter.available()
    form, error, made = PFIFForm(), "", []
    if request.method == "POST":
        form = PFIFForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                reports = linkage_adapter.parse_pfif(upload.read(), source=upload.name)
                made = services.import_pfif_reports(reports, request.user)
            except linkage_adapter.LinkageUnavailable as exc:
                ok, why = False, str(exc)
            except linkage_adapter.PFIFUploadError as exc:
                error = _("The file was not imported: %(why)s") % {"why": exc}
            except (ValueError, KeyError, TypeError) as exc:
                error = _("The file was not imported: %(why)s") % {"why": exc}
    return render(
        request,
        "portal/staff_pfif.html",
        {"available": ok, "why": why, "form": form, "error": error, "made": made},
    )
