"""Refresh web/locale/ar/LC_MESSAGES/django.po from the templates and code, fill the Arabic
from translations_ar.py, compile the .mo. Run from anywhere: python web/locale/fill.py"""

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WEB = HERE.parent
sys.path.insert(0, str(HERE))
from translations_ar import AR  # noqa: E402

PO = HERE / "ar" / "LC_MESSAGES" / "django.po"


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _drop_fuzzy(text: str) -> str:
    """msgmerge guesses translations of new strings from similar ones ("fuzzy"): drop the
    guesses, so that every msgstr comes from the table."""
    head, _sep, body = text.partition("\n\n")
    entries = []
    for entry in body.split("\n\n"):
        lines = entry.split("\n")
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            kept, in_str = [], False
            for line in lines:
                if line.startswith("#|"):
                    continue
                if line.startswith("#,"):
                    flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                    if flags:
                        kept.append("#, " + ", ".join(flags))
                    continue
                if line.startswith("msgstr"):
                    kept.append('msgstr ""')
                    in_str = True
                    continue
                if in_str and line.startswith('"'):
                    continue
                kept.append(line)
            entry = "\n".join(kept)
        entries.append(entry)
    return head + "\n\n" + "\n\n".join(entries)


def _msgids(text: str) -> set[str]:
    """The (unescaped-as-written) msgids of a catalogue, without contexts."""
    return {
        "".join(re.findall(r'"(.*)"', block))
        for block in re.findall(r'^msgid ((?:"[^\n]*"\n)+)', text, flags=re.M)
    }


def carry_over(extracted: dict) -> None:
    """Strings of an app with its own hand-edited catalogue (the portal's staff pages, new
    portal strings) that the catalogue lacks: added to the staff catalogue, where this table
    gives their Arabic (Django merges the catalogues; ours comes first)."""
    text = PO.read_text(encoding="utf-8")
    have = _msgids(text)
    added = []
    for path, new in extracted.items():
        kept = _msgids(path.read_text(encoding="utf-8"))
        for msgid in sorted(_msgids(new) - kept - have):
            if msgid:
                added.append(f'\nmsgid "{msgid}"\nmsgstr ""\n')
                have.add(msgid)
    if added:
        PO.write_text(text.rstrip("\n") + "\n" + "".join(added), encoding="utf-8")


def fill() -> list[str]:
    text = _drop_fuzzy(PO.read_text(encoding="utf-8"))
    missing = []

    def replace(match):
        msgid = (
            match.group(1).encode().decode("unicode_escape")
            if "\\" in match.group(1)
            else match.group(1)
        )
        if msgid in AR:
            return f'msgid "{match.group(1)}"\nmsgstr "{_quote(AR[msgid])}"'
        if msgid:
            missing.append(msgid)
        return match.group(0)

    text = re.sub(r'^msgid "(.*)"\nmsgstr ""$', replace, text, flags=re.M)
    text = text.replace("#, fuzzy\n", "", 1).replace('"Language: \\n"', '"Language: ar\\n"')
    text = text.replace('"Language-Team: LANGUAGE <LL@li.org>\\n"', '"Language-Team: nasab\\n"')
    PO.write_text(text, encoding="utf-8")
    return missing


if __name__ == "__main__":
    # makemessages also rewrites the apps' own catalogues (the portal keeps its own, edited
    # by hand): keep them as they were.
    others = {p: p.read_bytes() for p in WEB.glob("*/locale/ar/LC_MESSAGES/django.po")}
    extracted = {}
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "ar",
                "--no-wrap",
                "--no-location",
                "--no-obsolete",
                "-i",
                "locale/*",
            ],
            cwd=WEB,
            check=True,
        )
        extracted = {p: p.read_text(encoding="utf-8") for p in others}
    finally:
        for path, content in others.items():
            path.write_bytes(content)
    carry_over(extracted)
    left = fill()
    subprocess.run(["msgfmt", "--check", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
    print(f"{len(left)} strings without an Arabic here (the portal's own catalogue may have them)")
