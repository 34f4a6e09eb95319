"""Form labels and help texts of the staff pages, in the reader's language.

Model fields keep their English verbose names (so migrations do not change); the staff
forms take their labels from here by field name (:class:`TranslatedForm`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "name_ar": _("Name in Arabic script"),
    "name_latin": _("Name in Latin letters"),
    "given_name": _("Given name"),
    "father_name": _("Father's name"),
    "grandfather_name": _("Grandfather's name"),
    "family_name": _("Family name"),
    "mother_name": _("Mother's name"),
    "sex": _("Sex"),
    "birth_date": _("Date of birth"),
    "birth_year": _("Year of birth"),
    "governorate": _("Governorate"),
    "district": _("District"),
    "civil_registry_place": _("Civil registry place"),
    "civil_registry_number": _("Civil registry number"),
    "date_from": _("Earliest date"),
    "date_to": _("Latest date"),
    "place": _("Place"),
    "circumstances": _("Circumstances"),
    "narrative": _("Account"),
    "reporter_name": _("Reporter's name"),
    "reporter_contact": _("Reporter's contact"),
    "relationship": _("Relationship to the missing person"),
    "reported_on": _("Reported on"),
    "notes": _("Notes"),
    "claimed_relationship": _("Claimed relationship"),
    "relationship_validated": _("Relationship validated"),
    "validation_note": _("Validation note"),
    "father": _("Father"),
    "mother": _("Mother"),
    "deceased": _("Deceased"),
    "for_identification": _("For identification"),
    "for_court": _("For court proceedings"),
    "text_version": _("Consent form version"),
    "language": _("Language"),
    "signed_on": _("Signed on"),
    "share_with": _("May be shared with"),
    "reason": _("Reason"),
    "code": _("Code"),
    "name": _("Name"),
    "latitude": _("Latitude"),
    "longitude": _("Longitude"),
    "location_description": _("Location description"),
    "protection": _("Protection"),
    "estimated_individuals": _("Estimated individuals"),
    "note": _("Note"),
    "label_at_discovery": _("Label at discovery"),
    "position": _("Position"),
    "east_m": _("Metres east of the datum"),
    "north_m": _("Metres north of the datum"),
    "depth_cm": _("Depth (cm)"),
    "completeness": _("Completeness"),
    "recovered_on": _("Recovered on"),
    "barcode": _("Barcode"),
    "kind": _("Kind"),
    "skeletal_element": _("Skeletal element"),
    "storage_location": _("Storage location"),
    "collected_on": _("Collected on"),
    "seal_id": _("Seal number"),
    "person_name": _("Name"),
    "organisation": _("Organisation"),
    "purpose": _("Purpose"),
    "entered_at": _("Entered"),
    "left_at": _("Left"),
    "action": _("Action"),
    "recipient": _("Recipient"),
    "content_hash": _("Content SHA-256"),
    "relative": _("Relative told"),
    "notified_on": _("Told on"),
    "method": _("How"),
    "support_offered": _("Support offered"),
    "missing_person": _("Is the missing person (case number)"),
}

HELP = {
    "birth_year": _("When only the year is known."),
    "civil_registry_place": _("Place of the family's civil registry entry (qayd)."),
    "validation_note": _("Documents seen, interviews."),
    "text_version": _("Version of the consent form."),
    "share_with": _("Named recipients the donor allows sharing with, one per line."),
    "position": _("Grid square, trench, layer."),
    "east_m": _("Metres east of the site's datum point, where recorded."),
    "north_m": _("Metres north of the site's datum point, where recorded."),
    "seal_id": _("The seal's number, for sealing, opening, and transfers or receipts under seal."),
    "recipient": _("Username of who receives it (transfers only)."),
    "content_hash": _("SHA-256 of an attached document or photograph, if any."),
    "support_offered": _("Psychosocial support, repatriation of remains."),
    "missing_person": _(
        "When the family reports several missing: the case number of the missing person "
        "this member of the pedigree is. Empty: not missing."
    ),
}
PLACE_HELP = _("Where it happened (for the custody log).")
# Help texts the models give, by their English text (several fields share a name).
HELP_BY_TEXT = {
    "e.g. GS-001: Latin letters, digits, - . _ between them.": _(
        "e.g. GS-001: Latin letters, digits, - . _ between them."
    ),
    "Registry code, e.g. GS-001-R0007.": _("Registry code, e.g. GS-001-R0007."),
    "As printed on the label: Latin letters, digits, - . _": _(
        "As printed on the label: Latin letters, digits, - . _"
    ),
    "Named organisation or laboratory.": _("Named organisation or laboratory."),
}


class TranslatedForm:
    """Mixin: labels and help texts by field name from :data:`LABELS` and :data:`HELP`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in LABELS:
                field.label = LABELS[name]
            if name in HELP:
                field.help_text = HELP[name]
            elif name == "place":
                field.help_text = PLACE_HELP
            elif str(field.help_text) in HELP_BY_TEXT:
                field.help_text = HELP_BY_TEXT[str(field.help_text)]


# Custody actions as a reader says them (the chain stores the English verb).
ACTION_LABELS = {
    "collected": _("collected"),
    "sealed": _("sealed"),
    "transferred": _("transferred"),
    "received": _("received"),
    "opened": _("opened"),
    "subsampled": _("subsampled"),
    "consumed": _("consumed"),
    "destroyed": _("destroyed"),
}

# Stored codes as a reader says them (the models keep their English choice labels, so that
# migrations do not change): ``{{ value|choice_label:"kind" }}`` on the staff pages.
CHOICE_LABELS = {
    "job_status": {
        "queued": _("Queued"),
        "running": _("Running"),
        "done": _("Done"),
        "failed": _("Failed"),
    },
    "scoring_kind": {"remains": _("Remains"), "family": _("Family")},
    "mutation_model": {
        "stepwise": _("Stepwise (AABB 2003 rates per marker and sex)"),
        "proportional": _("Proportional to frequency (fast at national scale)"),
        "equal": _("Equal"),
        "none": _("No mutation"),
    },
    "prior_rule": {
        "per_missing": _("1 / number of missing persons searched"),
        "fixed": _("A fixed value"),
    },
    "ystr_method": {
        "counting": _("Counting with a confidence bound"),
        "augmented": _("Augmented counting, (x+1)/(N+1)"),
        "dlaplace": _("Discrete Laplace mixture"),
    },
    "lineage_kind": {"Y": _("Y-STR haplotypes"), "mtDNA": _("mtDNA sequences")},
    # notes the registry itself writes on programme settings (identification.programme)
    "settings_note": {"Defaults (first use).": _("Defaults (first use).")},
    "duplicate_decision": {
        "merge": _("Merged"),
        "reject": _("Not the same person"),
    },
    "audit_object": {
        "custody and audit chains": _("custody and audit chains"),
        "registry": _("registry"),
        "user": _("user"),
        "PFIF reports": _("PFIF reports"),
        "portal case": _("portal case"),
        "matching run": _("matching run"),
        "profiles": _("profiles"),
        "custody bundle": _("custody bundle"),
        "profile file": _("profile file"),
        "remains": _("remains"),
        "sample": _("sample"),
        # the records themselves (their model's label)
        "auth.User": _("user"),
        "audit.Correction": _("correction"),
        "custody.CustodyEntry": _("custody entry"),
        "fieldwork.GraveSite": _("grave site"),
        "fieldwork.SiteStageChange": _("grave site stage"),
        "fieldwork.SiteAccess": _("grave site access"),
        "fieldwork.RemainsUnit": _("remains"),
        "fieldwork.Sample": _("sample"),
        "identification.FrequencyTableFile": _("frequency table"),
        "identification.ProgrammeSettings": _("programme settings"),
        "identification.MatchCandidate": _("candidate"),
        "identification.Identification": _("identification"),
        "identification.IdentificationDecision": _("decision"),
        "identification.FamilyNotification": _("notification of a family"),
        "identification.MatchingJob": _("matching job"),
        "identification.IdentificationReport": _("identification report"),
        "identification.FragmentGroup": _("fragment group"),
        "lab.DNAProfile": _("DNA profile"),
        "lab.SNPCalls": _("SNP calls"),
        "lab.SNPPanelFile": _("SNP panel file"),
        "identification.SNPConfirmation": _("SNP confirmation"),
        "portal.PortalCase": _("portal case"),
        "portal.DuplicateDecision": _("duplicate decision"),
        "registry.MissingPerson": _("missing person"),
        "registry.DisappearanceEvent": _("disappearance"),
        "registry.Report": _("report"),
        "registry.Relative": _("relative"),
        "registry.Consent": _("consent"),
    },
    "audit_action": {
        "view_profile": _("Viewed a DNA profile"),
        "import_profiles": _("Imported DNA profiles"),
        "export_profiles": _("Exported DNA profiles"),
        "export_custody": _("Exported a custody bundle"),
        "verify_custody": _("Verified the chain of custody"),
        "decide_identification": _("Decided on an identification"),
        "change_roles": _("Changed a user's roles"),
        "run_matching": _("Compared profiles (matching job)"),
        "queue_matching": _("Queued a matching job"),
        "export_report": _("Exported an identification report"),
        "record_custody": _("Recorded a custody event"),
        "give_consent": _("Recorded a consent"),
        "withdraw_consent": _("Withdrew a consent"),
        "create_site": _("Registered a grave site"),
        "change_site_stage": _("Moved a grave site to a new stage"),
        "record_site_access": _("Recorded access to a grave site"),
        "create_remains": _("Registered remains"),
        "create_sample": _("Registered a sample"),
        "notify_family": _("Recorded the notification of a family"),
        "portal_status": _("Set the state a family sees"),
        "portal_submit": _("A family submitted a portal report"),
        "import_pfif": _("Imported missing-person reports (PFIF)"),
        "merge_persons": _("Decided on a possible duplicate"),
        "create_person": _("Registered a missing person"),
        "add_record": _("Added to a missing person's file"),
        "correct_record": _("Corrected an evidence record"),
        "flag_identification": _("Flagged an identification for review"),
        "login": _("Logged in"),
        "login_failed": _("Failed login"),
        "login_locked_out": _("Login locked out (too many failures)"),
        "enrol_second_factor": _("Enrolled a second factor"),
        "second_factor_failed": _("Wrong second-factor code"),
        "reset_portal_secret": _("Reset a portal case's secret"),
        "logout": _("Logged out"),
        "backup": _("Backed up the registry"),
        "restore": _("Restored the registry from a backup"),
        "change_settings": _("Changed the programme's matching settings"),
        "register_table": _("Registered a frequency table"),
        "import_snp_calls": _("Imported SNP panel calls"),
        "snp_confirmation": _("Computed a SNP confirmation"),
    },
}

# The verdict kinds of the custody verification (nasab.custody: ``nasab custody verify`` and
# the registry's verify page) as a reader is told what they mean; the engine's own report
# (English, with the object, sequence and hashes) stays as data beside it.
CHOICE_LABELS["custody_verdict"] = {
    "edited": _(
        "A custody entry was changed after it was recorded: its stored hash no longer matches "
        "its contents."
    ),
    "gap": _("A custody entry is missing from the middle of an object's chain (deleted)."),
    "duplicate": _("The same custody entry number appears twice in an object's chain."),
    "reordered": _("Custody entries are stored out of order or with dates going backwards."),
    "broken-link": _("A custody entry does not link to the entry before it (chain broken)."),
    "truncated": _(
        "Custody entries recorded in the anchor log are missing from the end of a chain (deleted)."
    ),
    "anchor-mismatch": _(
        "A custody chain differs from the hash kept in the anchor log: it was rewritten with "
        "recomputed hashes."
    ),
    "audit-edited": _(
        "An audit event was changed after it was recorded: its stored hash no longer matches "
        "its contents."
    ),
    "audit-gap": _("Audit events are missing from the middle of the audit log (deleted)."),
    "audit-broken-link": _("An audit event does not link to the event before it (log broken)."),
    "audit-rewritten": _(
        "The audit log differs from the hashes kept in the anchor log: it was rewritten."
    ),
    "audit-truncated": _(
        "Audit events recorded in the anchor log are missing from the end of the audit log "
        "(deleted)."
    ),
    "replaced-database": _(
        "The database is an older copy: records anchored later are missing (restored from an "
        "old backup or replaced)."
    ),
    "anchor-forged": _(
        "The anchor log itself cannot be trusted: a line is unsigned, wrongly signed or edited."
    ),
    "anchor-missing": _(
        "There is no anchor log although the registry holds records: it was deleted, or the "
        "anchor folder setting points elsewhere."
    ),
    "unreadable-anchor": _("The anchor log or its key cannot be read."),
    # custody rules broken by an entry (the replay of holders, transfers and seals)
    "unknown-action": _("A custody entry records an action that does not exist."),
    "bad-start": _("A chain does not start with the collection of the object."),
    "after-end": _("A custody entry comes after the object was consumed or destroyed."),
    "not-holder": _("Someone recorded an action on an object they did not hold."),
    "not-in-transit": _("An object was received that had not been transferred."),
    "wrong-recipient": _("An object was received by someone other than the named recipient."),
    "recipient-missing": _("An object was transferred without naming who receives it."),
    "seal-missing": _("An object was sealed without a seal number."),
    "seal-mismatch": _("A seal number does not match the seal on the object."),
    "seal-not-applied": _("A seal was named that had not been applied to the object."),
    "replayed-seal": _("A seal number already used on another object was used again."),
    "sealed": _("An action was recorded on an object whose seal is intact, without opening it."),
}

# Why a matching job failed, by the kind of error (the engine's message stays as data).
CHOICE_LABELS["job_error"] = {
    "InputError": _("The run failed: data it reads is not usable (see the message below)."),
    "PedigreeError": _("The run failed: a family's pedigree is not a valid family tree."),
    "ModelError": _(
        "The run failed: the programme's model settings are out of range (mutation, θ, dropout)."
    ),
    "OutputError": _("The run failed: a file could not be written."),
    "MatchingUnavailable": _("The run failed: the kinship engine is not installed here."),
    "MemoryError": _("The run failed: it needed more memory than the machine allows."),
    "OperationalError": _("The run failed: the database could not be reached or was busy."),
    "": _("The run failed (the engine's message below)."),
}


def job_error_headline(error: str) -> str:
    """A failed job's headline in the reader's language, from its stored error
    (``Type: message``): by the error's type, a general one for other types."""
    kind = error.split(":", 1)[0].strip() if ":" in error else ""
    labels = CHOICE_LABELS["job_error"]
    return str(labels.get(kind, labels[""]))


# The programme-settings form's fields (identification.views.SettingsForm).
LABELS.update(
    {
        "frequency_table": _("Frequency table"),
        "mutation_model": _("Mutation model"),
        "default_mutation_rate": _("Default mutation rate"),
        "theta": _("θ (co-ancestry, Balding–Nichols)"),
        "dropout_bone": _("Dropout probability, bone"),
        "dropin_bone": _("Drop-in probability, bone"),
        "dropout_tooth": _("Dropout probability, tooth"),
        "dropin_tooth": _("Drop-in probability, tooth"),
        "dropout_reference": _("Dropout probability, reference swab or blood card"),
        "threshold": _("LR threshold for a candidate"),
        "prior_rule": _("Prior"),
        "prior_value": _("Fixed prior"),
        "ystr_database": _("Y-STR haplotype database"),
        "ystr_method": _("Y-STR population probability"),
        "mtdna_database": _("mtDNA sequence database"),
        "lineage_confidence": _("Confidence of the counting bound (Y-STR, mtDNA)"),
    }
)
HELP.update(
    {
        "ystr_database": _(
            "None: Y-STR haplotypes are not used in matching. With one, pairs whose missing "
            "person has typed men on his paternal line get the Y-STR factor (docs/lineage.md)."
        ),
        "mtdna_database": _(
            "None: mtDNA sequences are not used in matching. With one, pairs whose missing "
            "person has typed relatives on the maternal line get the mtDNA factor."
        ),
        "lineage_confidence": _(
            "0.95: the one-sided upper Clopper–Pearson bound at confidence 0.95."
        ),
    }
)
HELP_BY_TEXT.update(
    {
        "Per meiosis, for markers without a published rate.": _(
            "Per meiosis, for markers without a published rate."
        ),
        "0: Hardy–Weinberg. Costly with the stepwise model.": _(
            "0: Hardy–Weinberg. Costly with the stepwise model."
        ),
        "Candidates are kept at this likelihood ratio or above.": _(
            "Candidates are kept at this likelihood ratio or above."
        ),
        "For the fixed rule.": _("For the fixed rule."),
        "Reference swabs and blood cards (the family's donors): probability that one allele "
        "copy drops out (0: complete profiles).": _(
            "Reference swabs and blood cards (the family's donors): probability that one "
            "allele copy drops out (0: complete profiles)."
        ),
        "Why the settings changed.": _("Why the settings changed."),
    }
)
