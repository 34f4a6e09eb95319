"""The review workbench: each role's work queue, and everything a candidate's review needs.

Views call :func:`queues` and :func:`review` and only render. Nothing here computes a
likelihood: per-marker LRs are the engine's, stored with the candidate by the matching
run; the reference pedigree is :mod:`identification.pedigree`'s; custody states are the
chain's (:mod:`nasab.custody` through :mod:`custody.services`); families' reference
sufficiency is ``nasab.power``'s (:mod:`identification.references`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.roles import can
from custody import services as custody
from custody.models import CustodyEntry
from fieldwork.models import Sample
from lab.models import DNAProfile, QualityStatus
from nasab.custody import chain
from nasab_site.labels import ACTION_LABELS
from registry.models import MissingPerson

from . import estimates, pedigree, references
from .models import FamilyEstimate, Identification, IdentificationStatus, MatchCandidate

QUEUE_LENGTH = 10
FAMILIES_ASSESSED = 8  # families whose references are assessed on one dashboard
# nasab.power estimates take seconds each (3-11 s on a 16-marker programme since power became
# exact): the matching worker computes them (identification.estimates); the dashboard shows
# the stored ones with their dates


@dataclass
class Item:
    url: str
    title: str
    detail: str = ""
    note: str = ""


@dataclass
class Queue:
    key: str
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    pending: str = ""  # what is not assessed yet, said on the page


# --- queues ------------------------------------------------------------------------------


def _in_transit():
    """Custody entries that are the last of their object and are a transfer (not yet received)."""
    last = (
        CustodyEntry.objects.filter(object_id=OuterRef("object_id"))
        .order_by("-sequence")
        .values("sequence")[:1]
    )
    return CustodyEntry.objects.filter(sequence=Subquery(last), action="transferred").order_by(
        "recorded_at"
    )


def samples_to_receive(user) -> Queue:
    q = Queue("receive", _("Samples to receive"), _("No sample is on its way to the laboratory."))
    entries = _in_transit()
    if not can(user, "sites.edit"):  # the lab sees what is sent to it
        lab_users = set(
            user.__class__.objects.filter(groups__name__in=["lab analyst"]).values_list(
                "username", flat=True
            )
        ) | {user.username}
        entries = entries.filter(recipient__in=lab_users)
    q.total = entries.count()
    for e in entries[:QUEUE_LENGTH]:
        q.items.append(
            Item(
                reverse("custody:log", args=[e.object_id]),
                e.object_id,
                _("sent by %(actor)s to %(recipient)s, %(place)s")
                % {"actor": e.actor, "recipient": e.recipient, "place": e.place},
                e.recorded_at,
            )
        )
    return q


def profiles_to_check() -> Queue:
    q = Queue(
        "profiles", _("Profiles to check"), _("No imported profile awaits its quality review.")
    )
    pending = DNAProfile.objects.filter(quality_status=QualityStatus.PENDING).select_related(
        "sample"
    )
    q.total = pending.count()
    q.more_url = reverse("lab:profile_list")
    for p in pending.order_by("imported_at")[:QUEUE_LENGTH]:
        q.items.append(
            Item(
                reverse("lab:profile_detail", args=[p.pk]),
                p.sample.barcode,
                _("%(n)s markers, %(kit)s, %(lab)s")
                % {"n": p.marker_count, "kit": p.kit, "lab": p.lab},
                p.imported_at,
            )
        )
    return q


def _candidate_item(c: MatchCandidate, note: str = "") -> Item:
    return Item(
        reverse("identification:candidate_detail", args=[c.pk]),
        f"{c.remains.code} ~ {c.person.case_number}",
        _("LR %(lr)s, posterior %(post)s")
        % {"lr": _isolated(f"{c.likelihood_ratio:.3g}"), "post": _isolated(f"{c.posterior:.4f}")},
        note,
    )


def _isolated(number: str) -> str:
    """A number kept left to right inside a right-to-left sentence (Unicode isolates)."""
    return f"\u2068{number}\u2069"


def candidates_to_propose(user) -> Queue:
    """Candidates nobody has decided on yet (the lab proposes or asks to exclude)."""
    q = Queue(
        "undecided", _("Candidates awaiting a first decision"), _("Every candidate has a decision.")
    )
    undecided = (
        MatchCandidate.objects.select_related("remains", "person")
        .filter(Q(current=True) | Q(needs_review=True))
        .filter(
            Q(identification__isnull=True)
            | Q(identification__status=IdentificationStatus.CANDIDATE)
        )
    )
    q.total = undecided.count()
    q.more_url = reverse("identification:candidate_list") + "?status=candidate"
    q.items = [_candidate_item(c) for c in undecided[:QUEUE_LENGTH]]
    return q


def candidates_to_decide(user) -> Queue:
    """Preliminary identifications to confirm and proposed exclusions to agree to: the
    second person's queue. Those the user proposed are listed for someone else."""
    q = Queue(
        "decide",
        _("Candidates awaiting a decision"),
        _("No identification awaits confirmation or exclusion."),
    )
    waiting = MatchCandidate.objects.select_related("remains", "person", "identification").filter(
        identification__status__in=[
            IdentificationStatus.PRELIMINARY,
            IdentificationStatus.EXCLUSION_PROPOSED,
        ]
    )
    q.total = waiting.count()
    q.more_url = reverse("identification:candidate_list") + "?status=waiting"
    for c in waiting[:QUEUE_LENGTH]:
        ident = c.identification
        mine = (
            ident.analyst_id == user.pk
            if ident.status == IdentificationStatus.PRELIMINARY
            else ident.exclusion_proposed_by_id == user.pk
        )
        what = (
            _("to confirm")
            if ident.status == IdentificationStatus.PRELIMINARY
            else _("exclusion to agree to")
        )
        mine_note = _("you proposed it: someone else decides")
        q.items.append(_candidate_item(c, f"{what} ({mine_note})" if mine else str(what)))
    return q


def families_to_tell() -> Queue:
    q = Queue(
        "tell",
        _("Families to tell"),
        _("Every family of a confirmed identification has been told."),
    )
    untold = (
        Identification.objects.filter(status=IdentificationStatus.CONFIRMED)
        .annotate(n=Count("notifications"))
        .filter(n=0)
        .select_related("candidate__person", "candidate__remains")
        .order_by("confirmed_at")
    )
    q.total = untold.count()
    q.more_url = reverse("identification:notification_list")
    for ident in untold[:QUEUE_LENGTH]:
        person = ident.candidate.person
        q.items.append(
            Item(
                reverse("identification:notify", args=[ident.pk]),
                f"{person.case_number} {person.name_ar}",
                _("confirmed on %(day)s")
                % {"day": date_format(ident.confirmed_at) if ident.confirmed_at else "?"},
            )
        )
    return q


@dataclass
class EstimateWords:
    """A family's stored power estimate as the staff pages say it (the intake dashboard's
    queue and the missing person's page say the same): the state with the estimate's date
    and whether a new one is being computed, and whom to ask next."""

    state: str
    ask: str
    waiting: bool  # no estimate stored yet: the matching worker computes the first one


def estimate_words(estimate: estimates.Estimate) -> EstimateWords:
    refs = estimate.refs
    if refs is None:
        return EstimateWords(
            str(_("the first estimate is being computed by the matching worker")), "", True
        )
    if refs.power is None:
        state = _("no usable reference linked to the missing person")
    else:
        state = _(
            "%(typed)s references; a true match reaches LR 10,000 in about %(p)s%% of cases"
        ) % {"typed": refs.typed, "p": refs.percent}
    if estimate.computed_at:
        state = _("%(state)s (estimate of %(day)s)") % {
            "state": state,
            "day": date_format(estimate.computed_at),
        }
    if estimate.computing:
        state = _("%(state)s; a new estimate is being computed") % {"state": state}
    ask = "; ".join(
        f"{s.who}" + (f" ({round(100 * s.power)}%)" if s.power is not None else "")
        for s in refs.suggestions
    ) or str(_("no registered relative left to ask"))
    return EstimateWords(str(state), str(_("Ask next: %(who)s") % {"who": ask}), False)


def families_needing_references() -> Queue:
    """Missing persons not identified whose references are not enough (nasab.power), and
    whom to ask next. Families with the fewest usable references are assessed first. The
    estimates are those the matching worker stored, with their dates; one queued or running
    is said to be "being computed" (nothing is computed in the request)."""
    from .programme import active_settings

    q = Queue(
        "references",
        _("Families whose references are not enough"),
        _("The families assessed have enough references."),
    )
    identified = Identification.objects.filter(status=IdentificationStatus.CONFIRMED).values(
        "candidate__person"
    )
    # families with no reference sample first, then by the number of typed references in
    # their stored estimate (no count over the whole register: it took 0.2 s at 10,000)
    open_cases = MissingPerson.objects.exclude(pk__in=identified).prefetch_related("relatives")
    donor_sample = Sample.objects.filter(donor__person=OuterRef("pk"))
    persons = list(open_cases.filter(~Exists(donor_sample)).order_by("pk")[:FAMILIES_ASSESSED])
    if len(persons) < FAMILIES_ASSESSED:
        persons += list(
            open_cases.filter(Exists(donor_sample)).order_by(
                F("power_estimate__typed").asc(nulls_first=True), "pk"
            )[: FAMILIES_ASSESSED - len(persons)]
        )
    typed = references.typed_profiles(persons)
    rows = {r.person_id: r for r in FamilyEstimate.objects.filter(person__in=persons)}
    fingerprint = active_settings().fingerprint
    waiting = 0
    for person in persons:
        estimate = estimates.current(person, typed[person.pk], rows.get(person.pk), fingerprint)
        refs = estimate.refs
        if refs is None:
            waiting += 1
            continue
        if refs.enough and not estimate.computing:
            continue
        words = estimate_words(estimate)
        q.items.append(
            Item(
                reverse("registry:person_detail", args=[person.case_number]),
                f"{person.case_number} {person.name_ar}",
                words.state,
                words.ask,
            )
        )
    q.total = len(q.items)
    if waiting:
        q.pending = _(
            "%(n)s more families: their estimate is being computed by the matching worker."
        ) % {"n": waiting}
    return q


def queues(user) -> list[Queue]:
    """The work queues of ``user``'s roles, in the order they come to them."""
    out = []
    if can(user, "custody.record"):
        out.append(samples_to_receive(user))
    if can(user, "genetic.import"):
        out.append(profiles_to_check())
    if can(user, "identification.propose"):
        out.append(candidates_to_propose(user))
    if can(user, "identification.confirm"):
        out.append(candidates_to_decide(user))
    if can(user, "family.notify"):
        out.append(families_to_tell())
    if can(user, "registry.edit") or can(user, "identification.confirm"):
        out.append(families_needing_references())
    return out


# --- one candidate's review --------------------------------------------------------------


def _lr_text(log10_lr) -> str:
    if isinstance(log10_lr, str) or not math.isfinite(log10_lr):
        return "0" if str(log10_lr).startswith("-") else "∞"
    if abs(log10_lr) < 6:
        return f"{10**log10_lr:.4g}"
    return f"10^{log10_lr:.2f}"


def marker_rows(candidate: MatchCandidate) -> list[dict]:
    """The engine's per-marker results as stored: name, log10 LR, LR, and what it says."""
    rows = []
    for marker, value in sorted(candidate.marker_log10_lrs.items()):
        numeric = float(value) if not isinstance(value, str) else float(value.replace("inf", "inf"))
        if numeric == -math.inf:
            verdict = _("inconsistent (exclusion at this marker)")
        elif numeric > 0:
            verdict = _("supports the identification")
        elif numeric < 0:
            verdict = _("against the identification")
        else:
            verdict = _("neutral")
        rows.append(
            {
                "marker": marker,
                "log10_lr": "-∞" if numeric == -math.inf else f"{numeric:.4f}",
                "lr": _lr_text(numeric),
                "verdict": verdict,
                "against": numeric < 0,
            }
        )
    return rows


def custody_rows(barcodes: list[str]) -> list[dict]:
    """Each sample compared, with its chain of custody's verdict and current state."""
    out = []
    for barcode in barcodes:
        entries = custody.history(barcode)
        row = {
            "sample": barcode,
            "entries": len(entries),
            "url": reverse("custody:log", args=[barcode]),
        }
        if entries:
            verdict = chain.verify_chain(e.as_chain_entry() for e in entries)
            state = chain.holder_of(e.as_chain_entry() for e in entries)
            last = entries[-1].action
            row.update(
                intact=verdict.ok,
                broken_kind=verdict.kind,
                holder=state.holder,
                seal=state.seal,
                ended=state.ended,
                ended_label=ACTION_LABELS.get(state.ended, state.ended),
                in_transit_to=state.in_transit_to,
                last_action=last,
                last_label=ACTION_LABELS.get(last, last),
                last_at=entries[-1].recorded_at,
                first_at=entries[0].recorded_at,
            )
        out.append(row)
    return out


def pedigree_members(candidate: MatchCandidate) -> list[dict]:
    """The reference pedigree's members: who they are (named), how related, and whether
    their profile was compared."""
    person = candidate.person
    reference = pedigree.build(person)
    by_id = {
        reference.relative_ids[r.pk]: r
        for r in person.relatives.all()
        if r.pk in reference.relative_ids
    }
    used = set(candidate.samples_used)
    members = []
    for pid, father, mother, sex in reference.records:
        relative = by_id.get(pid)
        if pid == pedigree.MP:
            name, relation = person.name_ar or person.name_latin, str(_("the missing person"))
            typed = False
        elif relative is not None:
            name = relative.name_ar or relative.name_latin
            relation = str(relative.get_claimed_relationship_display())
            typed = any(s.barcode in used for s in relative.samples.all())
        else:
            name = str(_("unrecorded father") if pid.endswith("father") else _("unrecorded mother"))
            relation, typed = str(_("placeholder")), False
        members.append(
            {
                "id": pid,
                "father": father,
                "mother": mother,
                "sex": sex,
                "name": name,
                "relation": relation,
                "typed": typed,
            }
        )
    return members


ALTERNATIVE_LABELS = {
    "full_brother": _("a full brother of the missing person"),
    "father": _("the missing person's father"),
    "son": _("a son of the missing person"),
    "other_missing": _("another missing member of this family"),
}
JOINT_LABELS = {
    "conclusion": _("conclusion"),
    "posterior_in_top_assignments": _("share of the top assignments"),
    "in_best_assignment": _("in the best assignment"),
    "best_assignment_posterior": _("posterior of the best assignment"),
    "victims": _("remains in the analysis"),
    "missing": _("missing persons in the analysis"),
}
JOINT_SCOPES = {"family": _("family"), "site": _("grave site")}
SYMMETRIC = _("cannot be told apart")


def _alternative_rows(stored) -> list[dict]:
    """Rows from what identification.alternatives stored (``{"alternatives": [...]}``) or
    from a plain relation -> log10 LR mapping."""
    if isinstance(stored, dict) and isinstance(stored.get("alternatives"), list):
        entries = stored["alternatives"]
    elif isinstance(stored, dict):
        entries = [{"relation": rel, "log10_lr": value} for rel, value in stored.items()]
    else:
        entries = list(stored)
    rows = []
    for entry in entries:
        relation = entry.get("relation") or entry.get("hypothesis") or ""
        label = ALTERNATIVE_LABELS.get(relation, entry.get("label") or relation)
        if relation == "other_missing" and entry.get("case_number"):
            label = f"{label} ({entry['case_number']})"
        note = entry.get("note", "")
        if note.startswith("this relative is a typed donor"):
            note = _("this relative is a typed donor: their own profile decides")
        value = entry.get("log10_lr")
        try:
            number = float(value) if value is not None else None
        except (TypeError, ValueError):
            number = None
        if number is None or math.isinf(number):
            rows.append(
                {
                    "relation": label,
                    "log10_lr": value if value is not None else "",
                    "lr": "" if value is None else _lr_text(str(value)),
                    "note": note,
                }
            )
        else:
            rows.append(
                {"relation": label, "log10_lr": number, "lr": _lr_text(number), "note": note}
            )
    return rows


def _joint_rows(joint: dict) -> dict:
    """A flat key -> value table; the joint analyses stored per scope are laid out by scope."""
    if not all(isinstance(v, dict) for v in joint.values()):
        return joint
    flat = {}
    for scope, ctx in joint.items():
        where = JOINT_SCOPES.get(scope, scope)
        for key, label in JOINT_LABELS.items():
            value = ctx.get(key)
            if value in (None, ""):
                continue
            if isinstance(value, bool):
                value = _("yes") if value else _("no")
            elif isinstance(value, float):
                value = f"{value:.4f}"
            flat[f"{where}: {label}"] = value
        for statement in ctx.get("symmetric") or []:
            flat.setdefault(f"{where}: {SYMMETRIC}", statement)
    return flat


def joint_and_alternatives(candidate: MatchCandidate) -> dict:
    """What the engine stored about close-relative alternatives and the joint assignment,
    when the matching run stored it (nothing is made up when it did not)."""
    out = {}
    stored = getattr(candidate, "alternative_log10_lrs", None) or getattr(
        candidate, "alternatives", None
    )
    rows = _alternative_rows(stored) if stored else []
    if rows:
        out["alternatives"] = rows
    joint = getattr(candidate, "joint_context", None) or getattr(candidate, "joint", None)
    if joint:
        out["joint"] = _joint_rows(joint)
    return out


def review(candidate: MatchCandidate, language: str = "en") -> dict:
    from . import lineage
    from .report import pedigree_svg, prior_justification

    members = pedigree_members(candidate)
    return {
        "markers": marker_rows(candidate),
        "members": members,
        "pedigree_svg": pedigree_svg(
            [
                [m["id"], m["father"], m["mother"], m["sex"], m["relation"], m["typed"], m["name"]]
                for m in members
            ]
        ),
        "custody": custody_rows(list(candidate.samples_used)),
        "extras": joint_and_alternatives(candidate),
        "prior_justification": prior_justification(candidate.prior_justification, language),
        "log10_lr": math.log10(candidate.likelihood_ratio)
        if candidate.likelihood_ratio > 0
        else None,
        "lineage": lineage.evidence_rows(candidate),
    }
