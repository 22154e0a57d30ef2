"""TBX-Basic (ISO 30042:2019, TBX v3, DCA style): one conceptEntry per term, one langSec per
language, one termSec per name, acronym and label.

The name is the preferred term; the acronym and admitted labels are admitted terms, deprecated
labels deprecated terms (administrativeStatus), each with its termType (acronym, abbreviation,
fullForm, shortForm). Search-only labels (misspellings) are deprecated terms too, marked by a
note. The definition is a descripGrp with its sources as `admin type="source"`; the example is
the preferred term's `descrip type="context"`; relations are crossReference refs whose text is
the relation type. What TBX-Basic has no data category for (slugs, summary, usage note, status,
category key, the sources' fields) travels in `note` elements written
`crm-glossary:name=value`; categories are refObjects in the back matter (`<text><back>`,
valid against LTAC-Global's TBX-Basic RelaxNG schema: tests/test_tbx_schema.py).
"""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - the input is checked for DTDs before parsing

from django.utils.translation import gettext as _

from glossary.interchange import ImportFileError, Record
from glossary.interchange import labels as term_labels
from kb.core.languages import language_codes

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFIX = "crm-glossary:"
NOTE_COLUMNS = [
    ("category", "category"),
    ("status", "status"),
    ("trademark", "is_trademark"),
    ("replaced-by", "replaced_by"),
    ("sources", "sources"),
]
PREFERRED = "preferredTerm-admn-sts"
STATUS = {
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
    "search_only": "deprecatedTerm-admn-sts",
}
TERM_TYPE = {"abbreviation": "abbreviation", "full_form": "fullForm", "short_form": "shortForm"}
SEARCH_ONLY_NOTE = "search-only"


def _el(parent, tag, text=None, **attrs):
    element = ET.SubElement(parent, tag, {k.replace("_", ""): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _note(parent, name: str, value) -> None:
    _el(parent, "note", f"{PREFIX}{name}={value}")


def dump(categories: list[Record], terms: list[Record]) -> str:
    root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "fr", "xmlns": NS})
    header = _el(root, "tbxHeader")
    file_desc = _el(header, "fileDesc")
    _el(_el(file_desc, "titleStmt"), "title", "CRM glossary")
    _el(_el(file_desc, "sourceDesc"), "p", "Exported from the CRM glossary (fr, it, en).")
    text = _el(root, "text")
    body = _el(text, "body")
    names = {record.key: record.values["name_fr"] for record in categories}
    for record in terms:
        values = record.values
        entry = _el(body, "conceptEntry", id=f"term-{record.key}")
        _el(
            entry, "descrip", names.get(values["category"], values["category"]), type="subjectField"
        )
        sources, _problems = term_labels.parse_sources(values["sources"])
        for name, value in (
            ("key", record.key),
            ("category", values["category"]),
            ("status", values["status"]),
            ("trademark", "true" if values["is_trademark"] else "false"),
            ("replaced-by", values["replaced_by"]),
            ("sources", values["sources"]),
        ):
            _note(entry, name, value)
        for kind, target in record.relations or []:
            _el(entry, "ref", kind, type="crossReference", target=f"term-{target}")
        for code in language_codes():
            if not any(values[f"{f}_{code}"] for f in ("name", "slug", "summary", "definition")):
                continue
            section = _el(entry, "langSec", **{XML_LANG: code})
            if values[f"definition_{code}"]:
                group = _el(section, "descripGrp")
                _el(group, "descrip", values[f"definition_{code}"], type="definition")
                for source in sources:
                    if source["language"] in ("", code):
                        _el(group, "admin", term_labels.source_text(source), type="source")
            _note(section, "slug", values[f"slug_{code}"])
            _note(section, "summary", values[f"summary_{code}"])
            if values[f"usage_note_{code}"]:
                _note(section, "usage-note", values[f"usage_note_{code}"])
            labels = [(values[f"name_{code}"], PREFERRED, "fullForm")]
            labels.append((values[f"acronym_{code}"], STATUS["admitted"], "acronym"))
            rows, _problems = term_labels.parse_labels(values[f"labels_{code}"])
            labels += [(text, status, kind) for text, status, kind in rows]
            for label, status, kind in labels:
                if not label:
                    continue
                term_section = _el(section, "termSec")
                _el(term_section, "term", label)
                term_type = TERM_TYPE.get(kind, kind)
                if term_type:
                    _el(term_section, "termNote", term_type, type="termType")
                _el(
                    term_section,
                    "termNote",
                    STATUS.get(status, status),
                    type="administrativeStatus",
                )
                if status == PREFERRED and values[f"example_{code}"]:
                    _el(term_section, "descrip", values[f"example_{code}"], type="context")
                if status == "search_only":
                    _note(term_section, SEARCH_ONLY_NOTE, "true")
    # TBX-Basic puts the back matter inside <text>, after <body>; files written before that fix
    # have it under <tbx>, and load() reads both (it looks for refObjects anywhere).
    back = _el(text, "back")
    objects = _el(back, "refObjectSec", type=f"{PREFIX}categories")
    for record in categories:
        ref_object = _el(objects, "refObject", id=f"category-{record.key}")
        item_set = _el(ref_object, "itemSet")
        _el(item_set, "item", record.key, type="key")
        _el(item_set, "item", str(record.values["position"]), type="position")
        for code in language_codes():
            for field in ("name", "slug", "description"):
                value = record.values[f"{field}_{code}"]
                if value:
                    _el(item_set, "item", value, type=f"{field}-{code}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def load(text: str) -> tuple[list[Record], list[Record]]:
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise ImportFileError([_("line 1: DTDs and entities are not accepted in TBX files")])
    try:
        root = ET.fromstring(text.removeprefix("\ufeff").encode())  # noqa: S314 - no DTD, see above
    except ET.ParseError as error:
        line = error.position[0]
        raise ImportFileError(
            [_("line %(line)d: not well-formed XML (%(error)s)") % {"line": line, "error": error}]
        ) from error
    if root.tag != f"{{{NS}}}tbx":
        raise ImportFileError(
            [_("line 1: not a TBX v3 file (root element <tbx> in %(ns)s)") % {"ns": NS}]
        )

    def q(tag: str) -> str:
        return f"{{{NS}}}{tag}"

    def where(identifier: str) -> str:
        index = text.find(f'id="{identifier}"')
        return _("line %(number)d") % {"number": text.count("\n", 0, max(index, 0)) + 1}

    categories = []
    for ref_object in root.iter(q("refObject")):
        items = {item.get("type"): item.text or "" for item in ref_object.iter(q("item"))}
        key = items.get("key") or ref_object.get("id", "").removeprefix("category-")
        values = {"position": items.get("position", "0")}
        for code in language_codes():
            for field in ("name", "slug", "description"):
                values[f"{field}_{code}"] = items.get(f"{field}-{code}", "")
        categories.append(Record(key, values, where=where(ref_object.get("id", ""))))

    terms = []
    for entry in root.iter(q("conceptEntry")):
        notes = _notes(entry, q)
        identifier = entry.get("id", "")
        key = notes.get("key") or identifier.removeprefix("term-")
        values = {}
        for name, column in NOTE_COLUMNS:
            if name in notes:
                values[column] = notes[name]
        for code in language_codes():
            section = next(
                (s for s in entry.findall(q("langSec")) if s.get(XML_LANG) == code), None
            )
            found = {"name": "", "acronym": "", "labels": [], "example": ""}
            definition = ""
            section_notes = {}
            if section is not None:
                section_notes = _notes(section, q)
                for descrip in section.iter(q("descrip")):
                    if descrip.get("type") == "definition":
                        definition = descrip.text or ""
                for term_section in section.findall(q("termSec")):
                    _read_term(term_section, found, q)
            values[f"name_{code}"] = found["name"]
            values[f"acronym_{code}"] = found["acronym"]
            values[f"labels_{code}"] = term_labels.format_labels(found["labels"])
            values[f"definition_{code}"] = definition
            values[f"example_{code}"] = found["example"]
            values[f"usage_note_{code}"] = section_notes.get("usage-note", "")
            values[f"slug_{code}"] = section_notes.get("slug", "")
            values[f"summary_{code}"] = section_notes.get("summary", "")
        relations = [
            ((ref.text or "").strip(), (ref.get("target") or "").removeprefix("term-"))
            for ref in entry.findall(q("ref"))
            if ref.get("type") == "crossReference"
        ]
        terms.append(Record(key, values, relations, where=where(identifier)))
    return categories, terms


def _read_term(term_section, found: dict, q) -> None:
    """One termSec into `found`: the preferred name, the acronym, a label or the example."""
    label = term_section.findtext(q("term")) or ""
    notes = {n.get("type"): n.text or "" for n in term_section.findall(q("termNote"))}
    status = notes.get("administrativeStatus")
    kind = notes.get("termType", "")
    if kind == "acronym" and not found["acronym"]:
        found["acronym"] = label
    elif status == PREFERRED and not found["name"]:
        found["name"] = label
        context = term_section.find(q("descrip"))
        if context is not None and context.get("type") == "context":
            found["example"] = context.text or ""
    elif label:
        if _notes(term_section, q).get(SEARCH_ONLY_NOTE) == "true":
            state = "search_only"
        else:
            state = "deprecated" if status == STATUS["deprecated"] else "admitted"
        types = {value: name for name, value in TERM_TYPE.items()}
        found["labels"].append((label, state, types.get(kind, "")))


def _notes(element, q) -> dict[str, str]:
    notes = {}
    for note in element.findall(q("note")):
        text = note.text or ""
        if text.startswith(PREFIX) and "=" in text:
            name, _sep, value = text.removeprefix(PREFIX).partition("=")
            notes[name] = value
    return notes
