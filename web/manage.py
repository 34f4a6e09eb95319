#!/usr/bin/env python
"""Django's command-line utility for the nasab registry."""

import os
import sys
from pathlib import Path


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here), str(here.parent / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nasab_site.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:  # a missing setting is the user's to fix: no traceback
        sys.stderr.write(f"nasab: error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
