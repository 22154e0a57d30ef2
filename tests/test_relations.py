"""Typed relations between terms are reciprocal, never point to themselves, never repeat."""

import pytest
from django.db import IntegrityError, transaction

from glossary.models import TermRelation
from kb.core.publishing import allow_deleting_published

Type = TermRelation.Type


@pytest.fixture
def nps(make_term):
    return make_term("nps", fr={"name": "NPS", "slug": "nps"})


@pytest.fixture
def voc(make_term):
    return make_term("voc", fr={"name": "Voix du client", "slug": "voix-du-client"})


def links(term):
    return {(r.target.key, r.type) for r in term.relations.select_related("target")}


def test_a_related_link_shows_on_both_terms(nps, voc):
    TermRelation.objects.create(source=nps, target=voc, type=Type.RELATED)
    assert links(nps) == {("voc", Type.RELATED)}
    assert links(voc) == {("nps", Type.RELATED)}


def test_broader_on_one_side_is_narrower_on_the_other(nps, voc):
    TermRelation.objects.create(source=nps, target=voc, type=Type.BROADER)
    assert links(nps) == {("voc", Type.BROADER)}
    assert links(voc) == {("nps", Type.NARROWER)}


def test_changing_the_type_updates_the_reverse_link(nps, voc):
    relation = TermRelation.objects.create(source=nps, target=voc, type=Type.RELATED)
    relation.type = Type.NARROWER
    relation.save()
    assert links(voc) == {("nps", Type.BROADER)}


def test_moving_a_link_to_another_term_removes_the_old_reverse(nps, voc, make_term):
    cx = make_term("cx", fr={"name": "Expérience client", "slug": "experience-client-terme"})
    relation = TermRelation.objects.create(source=nps, target=voc, type=Type.RELATED)
    relation.target = cx
    relation.save()
    assert links(voc) == set()
    assert links(cx) == {("nps", Type.RELATED)}


def test_deleting_a_link_deletes_it_on_both_sides(nps, voc):
    relation = TermRelation.objects.create(source=nps, target=voc, type=Type.SEE_ALSO)
    relation.delete()
    assert TermRelation.objects.count() == 0


def test_bulk_deleting_links_deletes_their_reverse_rows(nps, voc):
    TermRelation.objects.create(source=nps, target=voc, type=Type.RELATED)
    TermRelation.objects.filter(source=nps).delete()
    assert TermRelation.objects.count() == 0


def test_deleting_a_term_removes_its_links_everywhere(nps, voc):
    TermRelation.objects.create(source=nps, target=voc, type=Type.RELATED)
    with allow_deleting_published():  # a published term: only a deliberate purge deletes it
        voc.delete()
    assert TermRelation.objects.count() == 0


def test_the_database_refuses_a_term_related_to_itself(nps):
    # bulk_create skips our save(): the constraint alone must hold.
    with pytest.raises(IntegrityError), transaction.atomic():
        TermRelation.objects.bulk_create([TermRelation(source=nps, target=nps)])


def test_the_database_refuses_a_duplicate_link(nps, voc):
    TermRelation.objects.create(source=nps, target=voc, type=Type.RELATED)
    with pytest.raises(IntegrityError), transaction.atomic():
        TermRelation.objects.bulk_create([TermRelation(source=nps, target=voc, type=Type.BROADER)])


def test_a_pair_cannot_hold_two_types_even_from_the_other_side(nps, voc):
    TermRelation.objects.create(source=nps, target=voc, type=Type.RELATED)
    with pytest.raises(IntegrityError), transaction.atomic():
        TermRelation.objects.bulk_create([TermRelation(source=voc, target=nps, type=Type.SEE_ALSO)])


def test_every_relation_of_the_real_glossary_has_its_inverse(glossary_content):
    rows = {(r.source_id, r.target_id): r.type for r in TermRelation.objects.all()}
    assert rows
    for (source, target), kind in rows.items():
        assert rows[(target, source)] == TermRelation.INVERSE[Type(kind)]
