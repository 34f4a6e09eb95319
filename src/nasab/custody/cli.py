"""``nasab custody ...``: verify a chain of custody without the web application.

``nasab custody verify --database URL [--anchor PATH]`` reads the registry's custody and
audit tables directly (sqlite3 or psycopg, no Django) and checks both hash chains; with the
registry's signed anchor log (``--anchor`` the anchor folder or its ``anchors.jsonl``) it also
names a chain rewritten with recomputed hashes, entries cut from a chain's end and a database
replaced by an older copy. ``nasab custody anchor --database URL`` prints the head of every
chain (a hand-kept anchor, also accepted by ``--anchor``); ``nasab custody verify-bundle PATH``
checks an exported bundle folder or zip. Exit status: 0 intact, 1 broken (the first broken entry is named),
2 bad input (no such database or bundle, unreadable rows).

The main CLI calls :func:`add_parser` with its subparsers and :func:`run` with the parsed
arguments; ``python -m nasab.custody.cli`` runs this command on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from nasab.custody import anchor as anchoring
from nasab.custody import chain as custody

EXIT_INTACT, EXIT_BROKEN, EXIT_BAD_INPUT = 0, 1, 2


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "custody",
        help="verify hash-chained chain-of-custody records",
        description="Verify chain-of-custody records. Exit 0 intact, 1 broken, 2 bad input.",
    )
    actions = parser.add_subparsers(dest="custody_command", metavar="COMMAND", required=True)
    verify = actions.add_parser(
        "verify", help="verify the custody and audit chains of a registry database"
    )
    verify.add_argument(
        "--database",
        default=os.environ.get("DATABASE_URL"),
        metavar="URL",
        help="sqlite:///PATH or postgres://USER@HOST:PORT/DB (default: $DATABASE_URL)",
    )
    verify.add_argument(
        "--anchor",
        metavar="PATH",
        help="the registry's anchor folder (or its anchors.jsonl), or a JSON file from "
        "'nasab custody anchor': also catch rewritten or truncated chains and older databases",
    )
    verify.add_argument(
        "--public-key",
        metavar="FILE",
        help="Ed25519 public key (PEM) that signed the anchor log (default: the copy in the anchor folder)",
    )
    anchor = actions.add_parser(
        "anchor", help="print the head of every chain (JSON) to keep outside the database"
    )
    anchor.add_argument(
        "--database", default=os.environ.get("DATABASE_URL"), metavar="URL", help="as for verify"
    )
    bundle = actions.add_parser("verify-bundle", help="verify an exported custody bundle")
    bundle.add_argument("path", help="bundle folder or zip file")
    parser.set_defaults(func=run, plugin=__name__)  # the main CLI calls args.func(args)
    return parser


def _database_entries(url: str | None, *, with_audit: bool = False):
    if not url:
        raise custody.CustodyInputError("no database: give --database URL or set DATABASE_URL")
    connection = custody.connect(url)
    try:
        entries = custody.read_entries(connection)
        if with_audit:
            return entries, anchoring.read_audit_events(connection)
        return entries
    except custody.CustodyInputError:
        raise
    except Exception as exc:  # each driver has its own error types
        raise custody.CustodyInputError(
            f"cannot read table {custody.CUSTODY_TABLE}: {exc}"
        ) from exc
    finally:
        connection.close()


read_anchor = anchoring.read_head_list


def run(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        if args.custody_command == "anchor":
            print(
                json.dumps(custody.anchor_of(_database_entries(args.database)), indent=1), file=out
            )
            return EXIT_INTACT
        if args.custody_command == "verify":
            entries, events = _database_entries(args.database, with_audit=True)
            if args.anchor and Path(args.anchor).suffix == ".json":  # a hand-kept head list
                verdict = custody.verify_chain(entries, read_anchor(args.anchor))
                if verdict.ok and events is not None:
                    audit = anchoring.verify_audit_chain(events)
                    print(audit.describe(), file=out if audit.ok else err)
                    if not audit.ok:
                        return EXIT_BROKEN
                print(verdict.describe(), file=out if verdict.ok else err)
                return EXIT_INTACT if verdict.ok else EXIT_BROKEN
            state = None
            if args.anchor:
                key = anchoring.load_public_key(args.public_key) if args.public_key else None
                state = anchoring.read_anchor_log(args.anchor, key)
            registry = anchoring.verify_registry(entries, events, state)
            print(registry.describe(), file=out if registry.ok else err)
            return EXIT_INTACT if registry.ok else EXIT_BROKEN
        if args.custody_command == "verify-bundle":
            verdict = custody.verify_bundle(args.path)
            print(verdict.describe(), file=out if verdict.ok else err)
            return EXIT_INTACT if verdict.ok else EXIT_BROKEN
    except custody.CustodyInputError as exc:
        print(f"nasab: error: {exc}", file=err)
        return EXIT_BAD_INPUT
    print(f"nasab: error: unknown custody command {args.custody_command!r}", file=err)
    return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nasab")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
