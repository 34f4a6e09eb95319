import io
import shutil
import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import requires
from accounts.roles import can
from audit import anchoring
from audit.models import AuditAction
from audit.services import record as audit
from nasab.custody import chain
from nasab_site.labels import ACTION_LABELS

from . import services
from .forms import RecordForm


def _resolve_or_404(object_id):
    try:
        return services.resolve(object_id)
    except services.CustodyRefused as exc:
        raise Http404(str(exc)) from exc


def _render_log(request, target, form, status=200):
    entries = services.history(target.object_id)
    verdict = chain.verify_chain(e.as_chain_entry() for e in entries)
    state = services.state_of(target.object_id) if verdict.ok else None
    return render(
        request,
        "custody/log.html",
        {
            "target": target,
            "entries": [(e, ACTION_LABELS.get(e.action, e.action)) for e in entries],
            "form": form,
            "verdict": verdict,
            "state": state,
            "ended_label": ACTION_LABELS.get(state.ended, state.ended) if state else "",
            "may_record": can(request.user, "custody.record"),
        },
        status=status,
    )


@requires("custody.view")
def log(request, object_id):
    return _render_log(request, _resolve_or_404(object_id), RecordForm())


@require_POST
@requires("custody.record")
def record(request, object_id):
    target = _resolve_or_404(object_id)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            services.record(object_id=target.object_id, actor=request.user, **form.cleaned_data)
        except services.CustodyRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Recorded: %(action)s.")
                % {
                    "action": ACTION_LABELS.get(
                        form.cleaned_data["action"], form.cleaned_data["action"]
                    )
                },
            )
            return redirect("custody:log", object_id=target.object_id)
    return _render_log(request, target, form, status=400)


@requires("custody.verify")
def verify(request):
    verdict = problem = None
    if request.method == "POST":
        try:
            verdict = services.verify_registry()
        except chain.CustodyInputError as exc:  # anchor log or key unreadable
            problem = str(exc)
        audit(
            request,
            AuditAction.VERIFY_CUSTODY,
            object_type="custody and audit chains",
            ok=bool(verdict and verdict.ok),
            result=verdict.describe() if verdict else problem,
            kind=verdict.kind if verdict else "unreadable-anchor",
        )
    return render(
        request,
        "custody/verify.html",
        {
            "verdict": verdict,
            "problem": problem,
            "anchor_dir": anchoring.anchor_dir() if anchoring.enabled() else None,
        },
    )


@requires("custody.export")
def export(request):
    if request.method != "POST":
        return render(request, "custody/export.html", {"objects": ""})
    object_ids = request.POST.get("objects", "").split()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    workdir = Path(tempfile.mkdtemp(prefix="custody-"))
    try:
        folder = services.export_bundle(
            request.user, workdir / f"custody-{stamp}", object_ids or None
        )
        archive = chain.zip_bundle(folder, workdir / f"custody-{stamp}.zip")
        data = archive.read_bytes()
    except services.CustodyRefused as exc:
        messages.error(request, str(exc))
        return render(request, "custody/export.html", {"objects": " ".join(object_ids)}, status=400)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"custody-{stamp}.zip",
        content_type="application/zip",
    )
