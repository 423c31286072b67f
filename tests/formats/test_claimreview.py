"""ClaimReview JSON-LD: built from plain records, valid against the schema.org definitions it uses."""

import json

from annotator.formats.claimreview import Appearance, ClaimAuthor, Verdict, claim_review, is_organisation
from tests.formats.schema_org import schema_org_problems

VERDICT = Verdict(rating=2, worst=1, best=5, explanation="Only one intelligence service reports it.",
                  reviewed_on="2024-11-02")
APPEARANCES = [
    Appearance("https://example.org/b", "North Korean troops", "Politico", "2024-10-25"),
    Appearance("https://example.org/a", "Pyongyang sends soldiers", "Suspilne", "2024-10-18"),
    Appearance("", "Undated wire copy", "", None),
]
AUTHORS = [ClaimAuthor("Kyrylo Budanov", "military_intelligence", "HUR"),
           ClaimAuthor("Andriy Kovalenko", "government", "Center for Countering Disinformation")]


def _review():
    return claim_review(wording="North Korea sent 10,000 soldiers to Russia", url="https://credence.test/claims/7/",
                        reviewer="Demo (Credence)", verdict=VERDICT, authors=AUTHORS, appearances=APPEARANCES)


def test_claim_review_uses_only_schema_org_types_and_properties_where_they_are_defined():
    assert schema_org_problems(json.loads(json.dumps(_review()))) == []


def test_the_checker_rejects_a_property_schema_org_does_not_define_on_the_type():
    review = _review()
    review["reviewRating"]["ratingScale"] = "1-5"
    review["itemReviewed"]["appearance"][0]["@type"] = "Newspaper"

    assert schema_org_problems(review) == ["$.reviewRating[0].ratingScale: not a property of Rating",
                                           "$.itemReviewed[0].appearance[0]: 'Newspaper' is not a CreativeWork"]


def test_claim_review_carries_the_wording_the_rating_on_the_scale_and_every_appearance():
    review = _review()

    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "North Korea sent 10,000 soldiers to Russia"
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                                      "ratingExplanation": "Only one intelligence service reports it."}
    claim = review["itemReviewed"]
    assert [work["headline"] for work in claim["appearance"]] == [a.headline for a in APPEARANCES]
    assert claim["appearance"][0]["publisher"] == {"@type": "Organization", "name": "Politico"}
    assert "url" not in claim["appearance"][2] and "publisher" not in claim["appearance"][2]
    assert claim["firstAppearance"]["headline"] == "Pyongyang sends soldiers"  # the earliest date


def test_claim_authors_are_people_or_organisations_as_their_source_kind_and_name_say():
    assert [author["@type"] for author in _review()["itemReviewed"]["author"]] == ["Organization", "Person"]
    assert is_organisation(ClaimAuthor("Institute for the Study of War", "expert_academic"))
    assert not is_organisation(ClaimAuthor("Andrei Lankov", "expert_academic"))


def test_a_person_carries_the_affiliation_as_an_organisation():
    person = _review()["itemReviewed"]["author"][1]

    assert person["affiliation"] == {"@type": "Organization", "name": "Center for Countering Disinformation"}
