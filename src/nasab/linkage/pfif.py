"""PFIF 1.4 (Person Finder Interchange Format) import and export of nasab reports.

PFIF is the XML format of Google Person Finder and of other family-tracing tools
(namespace ``http://zesty.ca/pfif/1.4``).  One nasab report becomes one
``<pfif:person>`` with one ``<pfif:note>`` (status ``information_sought``); importing a
PFIF file gives one report per ``<pfif:person>``.

Mapping (report field → PFIF element):

=====================  =====================================================
``report_id``          ``person_record_id`` (``DOMAIN/report_id``; the domain is
                       removed again on import when it is ours)
``given_name``         ``given_name``
``family_name``        ``family_name``
name chain             ``full_name``: given, father's, grandfather's, family name
                       (a record with only ``full_name`` is imported with empty
                       name boxes and its full name whole: the matcher reads it)
``sex``  M / F / X     ``sex`` male / female / other
``birth_year``         ``date_of_birth`` (``YYYY``); on import also a full or
                       partial date, or ``age`` (with ``source_date``)
``governorate``        ``home_state``; ``home_country`` is ``SY``
``home_city``          ``home_city``
``alternate_names``    ``alternate_names``
source fields          ``author_name``, ``author_email``, ``author_phone``,
                       ``source_name``, ``source_date``, ``source_url``,
                       ``entry_date``
``father_name``,       PFIF has no elements for them: they are written as
``grandfather_name``,  labelled lines at the top of ``description`` ("Father's
``mother_name``,       name: Ahmad") and read back from there; other description
``disappearance_*``,   text is kept in ``description``
``reporter_relation``
``disappearance_*``    also the note's ``last_known_location`` and ``text``
``notes``              list of dicts with the PFIF note fields
=====================  =====================================================

Reading uses defusedxml (no entity expansion, no external DTD).  A broken file raises
:class:`PFIFError`, whose message names the line and the element and what is wrong.
"""

from __future__ import annotations

import datetime as _dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nasab.linkage.dates import dates_agree, stated_date, stated_year

__all__ = ["NS", "PFIFError", "parse_pfif", "read_pfif", "reports_to_pfif", "write_pfif"]

NS = "http://zesty.ca/pfif/1.4"
_P = "{" + NS + "}"
DEFAULT_DOMAIN = "nasab.example.org"

PERSON_FIELDS = (
    "person_record_id",
    "entry_date",
    "expiry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_name",
    "source_date",
    "source_url",
    "full_name",
    "given_name",
    "family_name",
    "alternate_names",
    "description",
    "sex",
    "date_of_birth",
    "age",
    "home_street",
    "home_neighborhood",
    "home_city",
    "home_state",
    "home_postal_code",
    "home_country",
    "photo_url",
    "profile_urls",
)
NOTE_FIELDS = (
    "note_record_id",
    "person_record_id",
    "linked_person_record_id",
    "entry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_date",
    "author_made_contact",
    "status",
    "email_of_found_person",
    "phone_of_found_person",
    "last_known_location",
    "text",
    "photo_url",
)
NOTE_STATUSES = (
    "",
    "information_sought",
    "is_note_author",
    "believed_alive",
    "believed_missing",
    "believed_dead",
)

# Report fields that PFIF has no element for, kept as labelled description lines.
_DESC_LABELS = (
    ("father_name", "Father's name"),
    ("grandfather_name", "Grandfather's name"),
    ("mother_name", "Mother's name"),
    ("disappearance_date", "Date of disappearance"),
    ("disappearance_place", "Place of disappearance"),
    ("reporter_relation", "Reported by"),
)
_LABEL_TO_FIELD = {label.casefold(): f for f, label in _DESC_LABELS}
_SEX_TO_PFIF = {"M": "male", "F": "female", "X": "other"}
_SEX_FROM_PFIF = {v: k for k, v in _SEX_TO_PFIF.items()}
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_AGE_RE = re.compile(r"^(\d{1,3})(?:-(\d{1,3}))?$")
_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$")


class PFIFError(ValueError):
    """A PFIF file that cannot be read; the message says where and what."""

    def __init__(
        self, message: str, *, source: str = "", line: int | None = None, element: str = ""
    ):
        self.source, self.line, self.element = source, line, element
        where = source or "<pfif>"
        if line is not None:
            where += f":{line}"
        if element:
            where += f": <{element}>"
        super().__init__(f"{where}: {message}")


# --- reading -------------------------------------------------------------------------


def _parse_with_lines(data: bytes, source: str) -> tuple[ET.Element, dict[int, int]]:
    """Parse safely; return the root and a map id(element) → line number."""
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import DefusedXMLParser

    lines: dict[int, int] = {}

    class _Builder(ET.TreeBuilder):
        def start(self, tag, attrs):  # noqa: D401 - TreeBuilder API
            el = super().start(tag, attrs)
            lines[id(el)] = parser.parser.CurrentLineNumber
            return el

    parser = DefusedXMLParser(target=_Builder(), forbid_dtd=True)
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as e:
        line, col = e.position
        raise PFIFError(
            f"not well-formed XML (column {col + 1}): {_expat_message(e)}", source=source, line=line
        ) from None
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as e:
        raise PFIFError(
            f"refused for safety: {type(e).__name__} (DTDs and entities are not "
            "allowed in PFIF files)",
            source=source,
        ) from None
    return root, lines


def _expat_message(e: ET.ParseError) -> str:
    return re.sub(r": line \d+, column \d+$", "", str(e))


def _local(tag: str) -> str:
    return tag.split("}", 1)[-1] if tag.startswith("{") else tag


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _fields(
    el: ET.Element, allowed: tuple[str, ...], src: str, lines: dict[int, int], kind: str
) -> tuple[dict[str, str], list[ET.Element]]:
    out: dict[str, str] = {}
    notes: list[ET.Element] = []
    for child in el:
        name, ns = _local(child.tag), _ns(child.tag)
        line = lines.get(id(child))
        if ns != NS:
            continue  # PFIF allows elements of other namespaces; they are ignored
        if name == "note" and kind == "person":
            notes.append(child)
            continue
        if name not in allowed:
            raise PFIFError(
                f"unknown element in <pfif:{kind}> (PFIF 1.4 has no {name!r})",
                source=src,
                line=line,
                element=f"pfif:{name}",
            )
        if len(child):
            raise PFIFError(
                "must contain text only, not elements",
                source=src,
                line=line,
                element=f"pfif:{name}",
            )
        if name in out:
            raise PFIFError(
                f"appears twice in one <pfif:{kind}>", source=src, line=line, element=f"pfif:{name}"
            )
        out[name] = (child.text or "").strip()
    return out, notes


def _check_date(value: str, src: str, line: int | None, name: str) -> None:
    if value and not _UTC_RE.match(value):
        raise PFIFError(
            f"{value!r} is not a UTC date-time like 2013-04-03T10:00:00Z",
            source=src,
            line=line,
            element=f"pfif:{name}",
        )


def _child_line(el: ET.Element, name: str, lines: dict[int, int]) -> int | None:
    c = el.find(_P + name)
    return lines.get(id(c if c is not None else el))


def _birth_year(p: dict[str, str], el: ET.Element, src: str, lines) -> str:
    dob = p.get("date_of_birth", "")
    if dob:
        m = _DATE_RE.match(dob)
        if not m:
            raise PFIFError(
                f"{dob!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
                source=src,
                line=_child_line(el, "date_of_birth", lines),
                element="pfif:date_of_birth",
            )
        return m.group(1)
    age = p.get("age", "")
    if age:
        m = _AGE_RE.match(age)
        if not m:
            raise PFIFError(
                f"{age!r} is not an age or an age range like 30-35",
                source=src,
                line=_child_line(el, "age", lines),
                element="pfif:age",
            )
        lo = int(m.group(1))
        hi = int(m.group(2) or lo)
        ref = (p.get("source_date") or p.get("entry_date") or "")[:4]
        if ref.isdigit():
            return str(int(ref) - (lo + hi) // 2)
    return ""


def _from_description(desc: str) -> tuple[dict[str, str], str]:
    fields: dict[str, str] = {}
    rest: list[str] = []
    for line in desc.splitlines():
        label, sep, value = line.partition(":")
        f = _LABEL_TO_FIELD.get(label.strip().casefold()) if sep else None
        if f and f not in fields:
            fields[f] = value.strip()
        else:
            rest.append(line)
    return fields, "\n".join(rest).strip()


def _read_person(
    el, line: int | None, seen: dict[str, int | None], source: str, lines: dict, domain: str
) -> dict[str, Any]:
    """One <pfif:person> as a report dict (its notes checked and attached)."""
    p, note_els = _fields(el, PERSON_FIELDS, source, lines, "person")
    rid = p.get("person_record_id", "")
    if not rid:
        raise PFIFError(
            "<pfif:person> has no person_record_id",
            source=source,
            line=line,
            element="pfif:person",
        )
    if "/" not in rid:
        raise PFIFError(
            f"person_record_id {rid!r} must be DOMAIN/ID",
            source=source,
            line=_child_line(el, "person_record_id", lines),
            element="pfif:person_record_id",
        )
    if rid in seen:
        raise PFIFError(
            f"person_record_id {rid!r} already used on line {seen[rid]}",
            source=source,
            line=line,
            element="pfif:person",
        )
    seen[rid] = line
    if not (p.get("full_name") or p.get("given_name") or p.get("family_name")):
        raise PFIFError(
            "<pfif:person> has no full_name, given_name or family_name",
            source=source,
            line=line,
            element="pfif:person",
        )
    for d in ("entry_date", "expiry_date", "source_date"):
        _check_date(p.get(d, ""), source, _child_line(el, d, lines), d)
    sex = p.get("sex", "")
    if sex and sex not in _SEX_FROM_PFIF:
        raise PFIFError(
            f"sex {sex!r} must be female, male or other",
            source=source,
            line=_child_line(el, "sex", lines),
            element="pfif:sex",
        )
    extra, description = _from_description(p.get("description", ""))
    report: dict[str, Any] = {
        "report_id": rid.split("/", 1)[1] if rid.startswith(domain + "/") else rid,
        "given_name": p.get("given_name", ""),
        "father_name": extra.get("father_name", ""),
        "grandfather_name": extra.get("grandfather_name", ""),
        "family_name": p.get("family_name", ""),
        "mother_name": extra.get("mother_name", ""),
        "sex": _SEX_FROM_PFIF.get(sex, ""),
        "birth_year": _birth_year(p, el, source, lines),
        "governorate": p.get("home_state", ""),
        "disappearance_date": extra.get("disappearance_date", ""),
        "disappearance_place": extra.get("disappearance_place", ""),
        "reporter_relation": extra.get("reporter_relation", ""),
        "full_name": p.get("full_name", ""),
        "alternate_names": p.get("alternate_names", ""),
        "description": description,
        "home_city": p.get("home_city", ""),
        "home_country": p.get("home_country", ""),
        "author_name": p.get("author_name", ""),
        "source_name": p.get("source_name", ""),
        "source_date": p.get("source_date", ""),
        "source_url": p.get("source_url", ""),
        "notes": [],
    }
    try:  # a year or a date no report can state (nasab.linkage.dates): refused
        dates_agree(stated_year(report["birth_year"]), stated_date(report["disappearance_date"]))
    except ValueError as e:
        raise PFIFError(str(e), source=source, line=line, element="pfif:person") from None
    # Only a full name: the boxes stay empty and ``full_name`` is kept whole, so that the
    # matcher reads it as a name chain (given, father's, grandfather's, family name; a
    # kunya or compound; a skipped father's name): see nasab.linkage.chain.read_chain.
    for nel in note_els:
        note, _ = _fields(nel, NOTE_FIELDS, source, lines, "note")
        _check_note(note, rid, source, lines.get(id(nel)))
        report["notes"].append(note)
    return report


def parse_pfif(
    data: bytes | str, *, source: str = "", domain: str = DEFAULT_DOMAIN
) -> list[dict[str, Any]]:
    """Parse a PFIF 1.4 document into nasab report dicts (see module doc for the mapping)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    root, lines = _parse_with_lines(data, source)
    if _local(root.tag) != "pfif" or _ns(root.tag) != NS:
        ns = _ns(root.tag)
        what = f"namespace {ns!r}" if ns != NS else "element"
        raise PFIFError(
            f"root must be <pfif:pfif> in namespace {NS} (found {what})",
            source=source,
            line=lines.get(id(root)),
            element=_local(root.tag),
        )
    reports: list[dict[str, Any]] = []
    seen: dict[str, int | None] = {}
    top_notes: list[tuple[dict[str, str], int | None]] = []
    for el in root:
        if _ns(el.tag) != NS:
            continue
        line = lines.get(id(el))
        name = _local(el.tag)
        if name == "note":
            note, _ = _fields(el, NOTE_FIELDS, source, lines, "note")
            top_notes.append((note, line))
            continue
        if name != "person":
            raise PFIFError(
                "expected <pfif:person> or <pfif:note>",
                source=source,
                line=line,
                element=f"pfif:{name}",
            )
        report = _read_person(el, line, seen, source, lines, domain)
        reports.append(report)
    by_id = {
        f"{domain}/{r['report_id']}" if "/" not in r["report_id"] else r["report_id"]: r
        for r in reports
    }
    for note, line in top_notes:
        _check_note(note, None, source, line)
        target = by_id.get(note.get("person_record_id", ""))
        if target is None:
            raise PFIFError(
                f"note for unknown person {note.get('person_record_id')!r}",
                source=source,
                line=line,
                element="pfif:note",
            )
        target["notes"].append(note)
    for report in reports:
        for note in report["notes"]:
            if not report["disappearance_place"] and note.get("last_known_location"):
                report["disappearance_place"] = note["last_known_location"]
    return reports


def _check_note(note: dict[str, str], person_id: str | None, src: str, line) -> None:
    if not note.get("note_record_id"):
        raise PFIFError(
            "<pfif:note> has no note_record_id", source=src, line=line, element="pfif:note"
        )
    pid = note.get("person_record_id", "")
    if person_id is None and not pid:
        raise PFIFError(
            "top-level <pfif:note> has no person_record_id",
            source=src,
            line=line,
            element="pfif:note",
        )
    if person_id is not None and pid and pid != person_id:
        raise PFIFError(
            f"note's person_record_id {pid!r} differs from its person's {person_id!r}",
            source=src,
            line=line,
            element="pfif:note",
        )
    if note.get("status", "") not in NOTE_STATUSES:
        raise PFIFError(
            f"status {note['status']!r} must be one of " + ", ".join(s for s in NOTE_STATUSES if s),
            source=src,
            line=line,
            element="pfif:note",
        )
    for d in ("entry_date", "source_date"):
        _check_date(note.get(d, ""), src, line, d)


def read_pfif(path: str | Path, *, domain: str = DEFAULT_DOMAIN) -> list[dict[str, Any]]:
    """Read a PFIF 1.4 file (see :func:`parse_pfif`)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise PFIFError(f"cannot read file: {e.strerror}", source=str(p)) from None
    return parse_pfif(data, source=str(p), domain=domain)


# --- writing -------------------------------------------------------------------------


def _s(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


#: characters XML 1.0 cannot carry in text (control characters but tab and line breaks,
#: lone surrogates, U+FFFE and U+FFFF): written raw they make a file no reader accepts
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(v: str, rid: str, name: str) -> str:
    """``v`` for the element ``name`` of the report ``rid``; a ``ValueError`` where it
    holds a character XML 1.0 cannot carry (:data:`_NOT_XML`)."""
    if bad := _NOT_XML.search(v):
        raise ValueError(
            f"report {rid}: <pfif:{name}> would hold U+{ord(bad.group()):04X}, a character "
            "XML 1.0 cannot carry (a PFIF file no reader would accept)"
        )
    return v


def reports_to_pfif(
    reports: Iterable[dict[str, Any]],
    *,
    domain: str = DEFAULT_DOMAIN,
    source_name: str = "nasab",
    now: str | None = None,
) -> bytes:
    """Serialise reports as a PFIF 1.4 document (UTF-8 bytes).  A value holding a
    character XML 1.0 cannot carry (U+FFFE, a control character) is refused with a
    ``ValueError`` naming the report and the element, not written into a file that no
    reader would accept."""
    ET.register_namespace("pfif", NS)
    now = now or _now()
    root = ET.Element(_P + "pfif")
    for r in reports:
        rid = _s(r.get("report_id"))
        if not rid:
            raise ValueError("a report without report_id cannot be exported")
        pid = rid if "/" in rid else f"{domain}/{rid}"
        person = ET.SubElement(root, _P + "person")

        def add(parent: ET.Element, name: str, value: Any, rid: str = rid) -> None:
            v = _s(value)
            if v:
                ET.SubElement(parent, _P + name).text = _xml_text(v, rid, name)

        parts = [
            _s(r.get(k)) for k in ("given_name", "father_name", "grandfather_name", "family_name")
        ]
        full = _s(r.get("full_name")) or " ".join(x for x in parts if x)
        desc_lines = [
            f"{label}: {' '.join(_s(r.get(f)).splitlines())}"
            for f, label in _DESC_LABELS
            if _s(r.get(f))
        ]
        if _s(r.get("description")):
            desc_lines.append(_s(r.get("description")))
        by = _s(r.get("birth_year"))
        sex = _SEX_TO_PFIF.get(_s(r.get("sex")).upper()[:1], "")
        add(person, "person_record_id", pid)
        add(person, "entry_date", now)
        add(person, "author_name", r.get("author_name"))
        add(person, "source_name", r.get("source_name") or source_name)
        add(person, "source_date", r.get("source_date") or now)
        add(person, "source_url", r.get("source_url"))
        add(person, "full_name", full)
        add(person, "given_name", r.get("given_name"))
        add(person, "family_name", r.get("family_name"))
        add(person, "alternate_names", r.get("alternate_names"))
        add(person, "description", "\n".join(desc_lines))
        add(person, "sex", sex)
        add(person, "date_of_birth", by)
        add(person, "home_city", r.get("home_city"))
        add(person, "home_state", r.get("governorate"))
        add(person, "home_country", r.get("home_country") or "SY")
        notes = list(r.get("notes") or [])
        if not notes:
            text = "Missing person reported to nasab."
            if _s(r.get("disappearance_date")) or _s(r.get("disappearance_place")):
                text = (
                    "Disappeared "
                    + " ".join(
                        x
                        for x in (
                            f"on {_s(r.get('disappearance_date'))}"
                            if _s(r.get("disappearance_date"))
                            else "",
                            f"at {_s(r.get('disappearance_place'))}"
                            if _s(r.get("disappearance_place"))
                            else "",
                        )
                        if x
                    )
                    + "."
                )
            notes = [
                {
                    "note_record_id": f"{domain}/note.{rid}",
                    "entry_date": now,
                    "author_name": _s(r.get("author_name")) or "nasab",
                    "source_date": _s(r.get("source_date")) or now,
                    "status": "information_sought",
                    "last_known_location": _s(r.get("disappearance_place")),
                    "text": text,
                }
            ]
        for n in notes:
            note = ET.SubElement(person, _P + "note")
            for f in NOTE_FIELDS:
                add(note, f, pid if f == "person_record_id" else n.get(f))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_pfif(reports: Iterable[dict[str, Any]], path: str | Path, **kw: Any) -> None:
    """Write reports to ``path`` as PFIF 1.4 (see :func:`reports_to_pfif`)."""
    Path(path).write_bytes(reports_to_pfif(reports, **kw))
