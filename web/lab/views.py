from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from accounts.access import requires
from audit.models import AuditAction
from audit.services import record as audit
from nasab_site.paging import page_of, query_without_page

from . import services, snp
from .forms import ExportForm, ImportForm, SNPImportForm
from .markers import KNOWN_MARKERS
from .models import DNAProfile

# the Y-STR loci a lab file may carry as columns (read with the engine's grammar,
# docs/lineage.md); the page names them after "Y-STR loci" in the reader's language
YSTR_LOCI = "DYS19 ... DYS643, DYS385a/b, DYF387S1, Y_GATA_H4"


@requires("genetic.view")
def profile_list(request):
    profiles = DNAProfile.objects.select_related("sample").order_by("sample__barcode", "pk")
    page = page_of(request, profiles)
    return render(
        request,
        "lab/profile_list.html",
        {"profiles": page, "page": page, "page_query": query_without_page(request)},
    )


@requires("genetic.view")
def profile_detail(request, pk):
    profile = get_object_or_404(DNAProfile.objects.select_related("sample"), pk=pk)
    audit(request, AuditAction.VIEW_PROFILE, profile, barcode=profile.sample.barcode)
    return render(
        request,
        "lab/profile_detail.html",
        {
            "profile": profile,
            "markers": _marker_rows(profile),
            "snp_calls": profile.sample.snp_calls.select_related("imported_by").order_by(
                "-imported_at", "-pk"
            ),
        },
    )


def _marker_rows(profile) -> list[tuple[str, list[str]]]:
    """The STR calls, then the Y-STR loci ("Y DYS19") and the mtDNA sequence, if typed."""
    lin = profile.lineage or {}
    rows = sorted(profile.markers.items())
    rows += [(f"Y {k}", [v]) for k, v in sorted(lin.get("Y", {}).items())]
    if "mtDNA" in lin:
        rows.append(("mtDNA", [lin["mtDNA"]]))
    return rows


@requires("genetic.import")
def profile_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_profiles(
                user=request.user,
                file_name=upload.name,
                content=upload.read(),
                kit=form.cleaned_data["kit"],
                lab=form.cleaned_data["lab"],
                quality_status=form.cleaned_data["quality_status"],
                supersede_reason=form.cleaned_data["supersede_reason"],
            )
        except services.ProfileImportError as exc:
            problems = exc.problems
        else:
            if result.already_imported:
                messages.info(
                    request,
                    gettext("%(file)s was already imported; nothing changed.")
                    % {"file": upload.name},
                )
            else:
                text = gettext("Imported %(n)s profiles from %(file)s.") % {
                    "n": len(result.created),
                    "file": upload.name,
                }
                if result.unchanged:
                    text += " " + gettext("%(n)s already present with the same calls.") % {
                        "n": len(result.unchanged)
                    }
                if result.superseded:
                    text += " " + gettext("Superseded earlier profiles of: %(samples)s.") % {
                        "samples": ", ".join(result.superseded)
                    }
                messages.success(request, text)
            return redirect("lab:profile_list")
    return _import_page(request, form=form, problems=problems)


def _import_page(request, *, form=None, problems=(), snp_form=None, snp_problems=()):
    return render(
        request,
        "lab/import.html",
        {
            "form": form or ImportForm(),
            "problems": problems,
            "known_markers": KNOWN_MARKERS,
            "ystr_loci": YSTR_LOCI,
            "ystr": format_html('<bdi translate="no" dir="ltr">{}</bdi>', "Y-STR"),
            "snp_form": snp_form or SNPImportForm(),
            "snp_problems": snp_problems,
        },
        status=400 if problems or snp_problems else 200,
    )


@requires("genetic.import")
def snp_import(request):
    """SNP panel calls (FORCE, XFORCE): the panel file(s) and a table or VCF of calls."""
    form = SNPImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, snp_form=form)
    data = form.cleaned_data
    panels = [(f.name, f.read()) for f in (data["panel"], data["panel_x"]) if f is not None]
    try:
        result = snp.import_snp_calls(
            user=request.user,
            panel_files=panels,
            calls_name=data["calls"].name,
            calls_content=data["calls"].read(),
            lab=data["lab"],
            supersede_reason=data["supersede_reason"],
        )
    except snp.SNPImportError as exc:
        return _import_page(request, snp_form=form, snp_problems=exc.problems)
    name = data["calls"].name
    if result.already_imported:
        text = gettext("%(file)s was already imported; nothing changed.") % {"file": name}
        messages.info(request, text)
    else:
        text = gettext("Imported the SNP calls of %(n)s samples from %(file)s.") % {
            "n": len(result.created),
            "file": name,
        }
        if result.unchanged:
            text += " " + gettext("%(n)s already present with the same calls.") % {
                "n": len(result.unchanged)
            }
        if result.superseded:
            text += " " + gettext("Superseded earlier SNP calls of: %(samples)s.") % {
                "samples": ", ".join(result.superseded)
            }
        messages.success(request, text)
    return redirect("lab:profile_list")


@requires("genetic.export")
def profile_export(request):
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        text = services.export_profiles_tsv(
            request.user,
            purpose=form.cleaned_data["purpose"],
            recipient=form.cleaned_data["recipient"] or None,
        )
        response = HttpResponse(text, content_type="text/tab-separated-values; charset=utf-8")
        name = f"profiles-{timezone.now():%Y%m%dT%H%M%SZ}.tsv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "lab/export.html", {"form": form})
