from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from accounts.access import requires
from custody.services import CustodyRefused
from nasab_site.paging import page_of, query_without_page
from registry.models import Relative

from . import plots, services
from .forms import (
    GraveSiteForm,
    ReferenceSampleForm,
    RemainsForm,
    SampleForm,
    SiteAccessForm,
    StageForm,
)
from .models import GraveSite, RemainsUnit, Sample, SiteAccess, SiteStage


def _form_error(form, exc):
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    else:
        form.add_error(None, str(exc))


@requires("sites.view")
def site_list(request):
    sites = GraveSite.objects.all()
    stage = request.GET.get("stage")
    if stage:
        sites = sites.filter(stage=stage)
    page = page_of(request, sites.annotate(remains_count=Count("remains")).order_by("code"))
    placed = (
        GraveSite.objects.exclude(latitude=None)
        .exclude(longitude=None)
        .only("pk", "code", "latitude", "longitude")[:2000]
    )
    return render(
        request,
        "fieldwork/site_list.html",
        {
            "sites": page,
            "page": page,
            "page_query": query_without_page(request),
            "stage": stage,
            "sites_plot": plots.sites_svg(
                placed,
                None,
                _("Grave sites by their coordinates"),
                _("km"),
                pgettext("compass point", "N"),
            ),
        },
    )


@requires("sites.view")
def site_detail(request, code):
    site = get_object_or_404(GraveSite, code=code)
    page = page_of(request, site.remains.all())
    return render(
        request,
        "fieldwork/site_detail.html",
        {
            "site": site,
            "remains": page,
            "page": page,
            "page_query": query_without_page(request),
            "next_stages": [(s, SiteStage(s).label) for s in site.next_stages()],
            "sites_plot": plots.sites_svg(
                GraveSite.objects.exclude(latitude=None)
                .exclude(longitude=None)
                .only("pk", "code", "latitude", "longitude"),
                site,
                _("Grave sites by their coordinates"),
                _("km"),
                pgettext("compass point", "N"),
            ),
            "remains_plot": plots.remains_svg(
                site.remains.exclude(east_m=None)
                .exclude(north_m=None)
                .only("code", "label_at_discovery", "east_m", "north_m")[:500],
                _("Remains at their recorded positions"),
                _("metres from the datum"),
            ),
            "stage_changes": site.stage_changes.all(),
            "access_log": site.access_log.all()[:50],
        },
    )


@requires("sites.edit")
def site_create(request):
    form = GraveSiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        site = services.create_site(form.save(commit=False), user=request.user)
        messages.success(
            request, _("Grave site %(code)s registered as reported.") % {"code": site.code}
        )
        return redirect("fieldwork:site_detail", code=site.code)
    return render(request, "fieldwork/site_form.html", {"form": form})


@require_POST
@requires("sites.edit")
def site_advance(request, code):
    site = get_object_or_404(GraveSite, code=code)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.advance_stage(
                site, form.cleaned_data["to_stage"], request.user, form.cleaned_data["note"]
            )
            messages.success(
                request,
                _("%(code)s moved to %(stage)s.")
                % {"code": site.code, "stage": SiteStage(form.cleaned_data["to_stage"]).label},
            )
        except services.FieldworkRefused as exc:
            messages.error(request, str(exc))
    return redirect("fieldwork:site_detail", code=site.code)


@requires("sites.edit")
def remains_create(request, code):
    site = get_object_or_404(GraveSite, code=code)
    form = RemainsForm(request.POST or None, instance=RemainsUnit(site=site))
    if request.method == "POST" and form.is_valid():
        remains = form.save(commit=False)
        try:
            services.register_remains(remains, user=request.user, place=form.cleaned_data["place"])
        except (services.FieldworkRefused, CustodyRefused, ValidationError) as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("Remains %(code)s registered and recorded as collected.")
                % {"code": remains.code},
            )
            return redirect("fieldwork:remains_detail", code=remains.code)
    return render(request, "fieldwork/remains_form.html", {"form": form, "site": site})


@requires("sites.view")
def remains_detail(request, code):
    remains = get_object_or_404(RemainsUnit.objects.select_related("site"), code=code)
    samples = remains.samples.all()
    return render(
        request, "fieldwork/remains_detail.html", {"remains": remains, "samples": samples}
    )


def _take_sample(request, form, register, context):
    """Shared by remains and reference samples: register, record custody, go to its log."""
    if request.method == "POST" and form.is_valid():
        sample = form.save(commit=False)
        try:
            register(
                sample,
                user=request.user,
                place=form.cleaned_data["place"],
                seal_id=form.cleaned_data["seal_id"],
            )
        except (services.FieldworkRefused, CustodyRefused, ValidationError) as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("Sample %(code)s registered; you hold it.") % {"code": sample.barcode}
            )
            return redirect("custody:log", object_id=sample.barcode)
    return render(request, "fieldwork/sample_form.html", {"form": form, **context})


@requires("samples.edit")
def sample_create(request, code):
    remains = get_object_or_404(RemainsUnit, code=code)
    form = SampleForm(request.POST or None, instance=Sample(remains=remains))
    return _take_sample(request, form, services.register_sample, {"remains": remains})


@require_POST
@requires("sites.edit")
def site_access_add(request, code):
    site = get_object_or_404(GraveSite, code=code)
    form = SiteAccessForm(request.POST, instance=SiteAccess(site=site, recorded_by=request.user))
    if form.is_valid():
        services.record_site_access(form.save(commit=False), user=request.user)
        messages.success(request, _("Access to %(code)s recorded.") % {"code": site.code})
    else:
        messages.error(
            request,
            _("Access not recorded:")
            + " "
            + "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()),
        )
    return redirect("fieldwork:site_detail", code=site.code)


@requires("samples.edit")
def reference_list(request):
    """Relatives with an active consent, with the reference samples already taken."""
    relatives = (
        Relative.objects.filter(
            consents__withdrawn_at__isnull=True, consents__for_identification=True
        )
        .select_related("person")
        .prefetch_related("samples")
        .distinct()
        .order_by("person__case_number", "pk")
    )
    return render(request, "fieldwork/reference_list.html", {"relatives": relatives})


@requires("samples.edit")
def reference_sample_create(request, pk):
    relative = get_object_or_404(Relative.objects.select_related("person"), pk=pk)
    form = ReferenceSampleForm(request.POST or None, instance=Sample(donor=relative))
    return _take_sample(request, form, services.register_reference_sample, {"donor": relative})
