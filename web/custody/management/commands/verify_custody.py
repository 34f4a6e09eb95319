import json
import sys

from django.core.management.base import BaseCommand

from audit import anchoring
from custody import services
from nasab.custody import anchor as anchor_log
from nasab.custody import chain

EXIT_BROKEN, EXIT_BAD_INPUT = 1, 2


class Command(BaseCommand):
    help = (
        "Verify the custody and audit chains against the signed anchor log (or an exported "
        "bundle). Exit status 0 intact, 1 broken (what broke is named: edited, truncated, "
        "anchor-mismatch, replaced-database, audit-edited, ...), 2 bad input. The same checks as "
        "'nasab custody verify --anchor', through Django's database connection."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            metavar="PATH",
            help="check against this anchor log (folder or anchors.jsonl) or hand-kept "
            "head list (.json from --print-anchor) instead of settings.NASAB_ANCHOR_DIR",
        )
        parser.add_argument(
            "--public-key",
            metavar="FILE",
            help="Ed25519 public key (PEM) for --anchor (default: the configured signing key)",
        )
        parser.add_argument(
            "--print-anchor",
            action="store_true",
            help="print the head of every custody chain as JSON instead of verifying",
        )
        parser.add_argument(
            "--bundle", metavar="PATH", help="verify this bundle folder or zip instead"
        )
        parser.add_argument(
            "--start-anchor",
            action="store_true",
            help="start the anchor log of a registry that predates anchoring: verify the "
            "chains, then append one signed line holding every head (refused when a "
            "log exists)",
        )

    def handle(
        self,
        *args,
        anchor=None,
        public_key=None,
        print_anchor=False,
        bundle=None,
        start_anchor=False,
        **options,
    ):
        try:
            if start_anchor:
                self._start_anchor()
                return
            if print_anchor:
                self.stdout.write(json.dumps(services.anchor(), indent=1))
                return
            if bundle:
                verdict = chain.verify_bundle(bundle)
            elif anchor and anchor.endswith(".json"):
                verdict = services.verify_database(anchor_log.read_head_list(anchor))
            elif anchor:
                key = (
                    anchor_log.load_public_key(public_key) if public_key else anchoring.public_key()
                )
                verdict = anchoring.verify(anchor_log.read_anchor_log(anchor, key))
            else:
                verdict = services.verify_registry()
        except chain.CustodyInputError as exc:
            self.stderr.write(f"error: {exc}")
            sys.exit(EXIT_BAD_INPUT)
        if verdict.ok:
            self.stdout.write(verdict.describe())
            return
        self.stderr.write(verdict.describe())
        sys.exit(EXIT_BROKEN)

    def _start_anchor(self):
        if not anchoring.enabled():
            self.stderr.write("error: anchoring is off (NASAB_ANCHOR_DIR is empty)")
            sys.exit(EXIT_BAD_INPUT)
        if anchor_log.anchor_log_path(anchoring.anchor_dir()).is_file():
            self.stderr.write(f"error: an anchor log already exists in {anchoring.anchor_dir()}")
            sys.exit(EXIT_BAD_INPUT)
        verdict = anchor_log.verify_registry(*_chains(), None)
        if not verdict.ok:
            self.stderr.write(verdict.describe() + "\nnot anchored: the chains are broken")
            sys.exit(EXIT_BROKEN)
        line = anchoring.anchor_everything(
            "start", "anchor log started for a registry that predates it"
        )
        self.stdout.write(
            f"anchor log started: {len(line['custody'])} custody chains, audit event "
            f"{line['audit']['sequence']}, key {line['key']}"
        )


def _chains():
    from django.db import connection

    connection.ensure_connection()
    return chain.read_entries(connection.connection), anchor_log.read_audit_events(
        connection.connection
    )
