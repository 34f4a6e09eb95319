"""Stored chain-of-custody entries. The hashing and verification live in :mod:`nasab.custody.chain`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nasab.custody import chain
from nasab_site.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet

__all__ = ["AppendOnlyError", "CustodyEntry"]


class CustodyEntryQuerySet(AppendOnlyQuerySet):
    def for_object(self, object_id: str):
        return self.filter(object_id=object_id).order_by("sequence")


class CustodyEntry(AppendOnlyModel):
    """One custody event about one physical object (named by sample barcode or remains code).

    Rows are written once by :mod:`custody.services` and never changed (see
    :mod:`nasab_site.append_only`; database triggers refuse UPDATE and DELETE too).
    """

    Action = models.TextChoices("Action", [(a, a.capitalize()) for a in chain.ACTIONS])

    object_id = models.CharField(max_length=40, db_index=True)
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = models.CharField(max_length=150, help_text="Username of who did it.")
    place = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()
    seal_id = models.CharField(max_length=60, blank=True)
    recipient = models.CharField(max_length=150, blank=True, help_text="Username, for transfers.")
    content_hash = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    note = models.TextField(
        blank=True, help_text="Free text; part of the hash like every other field."
    )
    hash_version = models.PositiveSmallIntegerField(
        default=chain.HASH_VERSION,
        db_default=chain.HASH_VERSION,
        editable=False,
        help_text="2: every field hashed; 1: recorded before the note was hashed (its note is not protected).",
    )

    objects = CustodyEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("custody entry")
        verbose_name_plural = _("custody entries")
        db_table = chain.CUSTODY_TABLE
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_id", "sequence"], name="custody_sequence_unique_per_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_id} #{self.sequence} {self.action} by {self.actor}"

    def as_chain_entry(self) -> chain.CustodyEntry:
        return chain.CustodyEntry(
            object_id=self.object_id,
            sequence=self.sequence,
            action=self.action,
            actor=self.actor,
            place=self.place,
            timestamp=chain.canonical_timestamp(self.recorded_at),
            seal_id=self.seal_id,
            recipient=self.recipient,
            content_hash=self.content_hash,
            prev_hash=self.prev_hash,
            entry_hash=self.entry_hash,
            note=self.note,
            hash_version=self.hash_version,
        )
