"""The TBX export is valid TBX-Basic for the official schema, and the import reads the files
written before the fix (back matter under <tbx>) as well as the valid ones."""

from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from glossary.interchange import export_records, tbx

# The TBX-Basic RelaxNG schema published by LTAC-Global (ISO 30042:2019, DCA style), copied
# here so that a clean clone validates without the network: see tests/schemas/tbx/README.md.
SCHEMA = Path(__file__).parent / "schemas" / "tbx" / "TBXcoreStructV03_TBX-Basic_integrated.rng"


@pytest.fixture(scope="module")
def relax_ng():
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def test_the_export_of_the_real_glossary_is_valid_tbx_basic(glossary_content, tmp_path, relax_ng):
    path = tmp_path / "glossary.tbx"
    call_command("glossary_export", format="tbx", output=str(path))
    document = etree.parse(str(path))
    valid = relax_ng.validate(document)
    assert valid, [str(error) for error in relax_ng.error_log]
    assert len(document.findall(f".//{{{tbx.NS}}}conceptEntry")) > 30


def test_the_back_matter_sits_inside_text(glossary_content):
    root = etree.fromstring(tbx.dump(*export_records()).encode())
    assert [child.tag.split("}")[1] for child in root] == ["tbxHeader", "text"]
    assert [child.tag.split("}")[1] for child in root[1]] == ["body", "back"]


def old_shape(text: str) -> str:
    """The export as it was written before the fix: <back> a child of <tbx>, after <text>."""
    root = etree.fromstring(text.encode())
    text_element = root.find(f"{{{tbx.NS}}}text")
    back = text_element.find(f"{{{tbx.NS}}}back")
    text_element.remove(back)
    root.append(back)
    return etree.tostring(root, encoding="unicode")


def test_files_in_the_old_and_the_new_shape_import_alike(glossary_content):
    categories, terms = export_records()
    new = tbx.dump(categories, terms)
    old = old_shape(new)
    assert old != new
    for text in (new, old):
        read_categories, read_terms = tbx.load(text)
        assert [(r.key, r.values) for r in read_categories] == [
            (r.key, r.values) for r in tbx.load(new)[0]
        ]
        assert len(read_categories) == len(categories)
        assert sorted(r.key for r in read_terms) == sorted(r.key for r in terms)
