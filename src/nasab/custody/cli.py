"""``nasab custody ...``: verify a chain of custody without the web application.

``nasab custody verify --database URL [--anchor FILE]`` reads the registry's custody table
directly (sqlite3 or psycopg, no Django); ``nasab custody anchor --database URL`` prints the
head of every chain, to keep elsewhere and pass to ``--anchor`` later (catching entries cut
from the end of a chain); ``nasab custody verify-bundle PATH`` checks an exported bundle
folder or zip. Exit status: 0 intact, 1 broken (the first broken entry is named),
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

from nasab.custody import chain as custody

EXIT_INTACT, EXIT_BROKEN, EXIT_BAD_INPUT = 0, 1, 2


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "custody", help="verify hash-chained chain-of-custody records",
        description="Verify chain-of-custody records. Exit 0 intact, 1 broken, 2 bad input.")
    actions = parser.add_subparsers(dest="custody_command", metavar="COMMAND", required=True)
    verify = actions.add_parser("verify", help="verify the custody table of a registry database")
    verify.add_argument(
        "--database", default=os.environ.get("DATABASE_URL"), metavar="URL",
        help="sqlite:///PATH or postgres://USER@HOST:PORT/DB (default: $DATABASE_URL)")
    verify.add_argument(
        "--anchor", metavar="FILE",
        help="anchor JSON from 'nasab custody anchor': also catch entries cut from chain ends")
    anchor = actions.add_parser(
        "anchor", help="print the head of every chain (JSON) to keep outside the database")
    anchor.add_argument("--database", default=os.environ.get("DATABASE_URL"), metavar="URL",
                        help="as for verify")
    bundle = actions.add_parser("verify-bundle", help="verify an exported custody bundle")
    bundle.add_argument("path", help="bundle folder or zip file")
    parser.set_defaults(func=run, plugin=__name__)  # the main CLI calls args.func(args)
    return parser


def _database_entries(url: str | None) -> list[custody.CustodyEntry]:
    if not url:
        raise custody.CustodyInputError("no database: give --database URL or set DATABASE_URL")
    connection = custody.connect(url)
    try:
        return custody.read_entries(connection)
    except custody.CustodyInputError:
        raise
    except Exception as exc:  # each driver has its own error types
        raise custody.CustodyInputError(f"cannot read table {custody.CUSTODY_TABLE}: {exc}") from exc
    finally:
        connection.close()


def read_anchor(path: str) -> dict:
    try:
        anchor = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise custody.CustodyInputError(f"cannot read anchor {path}: {exc}") from exc
    if not isinstance(anchor, dict):
        raise custody.CustodyInputError(f"anchor {path} is not a JSON object")
    return anchor


def run(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        if args.custody_command == "anchor":
            print(json.dumps(custody.anchor_of(_database_entries(args.database)), indent=1), file=out)
            return EXIT_INTACT
        if args.custody_command == "verify":
            anchor = read_anchor(args.anchor) if args.anchor else None
            verdict = custody.verify_chain(_database_entries(args.database), anchor)
            print(verdict.describe(), file=out if verdict.ok else err)
            return EXIT_INTACT if verdict.ok else EXIT_BROKEN
        if args.custody_command == "verify-bundle":
            verdict = custody.verify_bundle(args.path)
            print(verdict.describe(), file=out if verdict.ok else err)
            return EXIT_INTACT if verdict.ok else EXIT_BROKEN
    except custody.CustodyInputError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_BAD_INPUT
    print(f"error: unknown custody command {args.custody_command!r}", file=err)
    return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nasab")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
