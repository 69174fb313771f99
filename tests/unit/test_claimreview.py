"""The claims as schema.org ClaimReview JSON-LD: every property used is one schema.org defines for its type."""

import json

import pytest

from policylens.claimreview import claim_review, claim_reviews_document, evidence_url, reviews_from_data
from policylens.claims import VERDICT_LABELS
from policylens.datasets import load_dataset

BASE = "https://policylens.example/app"

# Properties schema.org defines (https://schema.org/<Type>), each type with those of the types it inherits from.
THING = {
    "additionalType", "alternateName", "description", "disambiguatingDescription", "identifier", "image",
    "mainEntityOfPage", "name", "potentialAction", "sameAs", "subjectOf", "url",
}  # fmt: skip
CREATIVE_WORK = THING | {
    "about", "abstract", "accountablePerson", "alternativeHeadline", "author", "citation", "comment", "contributor",
    "copyrightHolder", "copyrightYear", "correction", "creator", "dateCreated", "dateModified", "datePublished",
    "editor", "genre", "hasPart", "headline", "inLanguage", "isBasedOn", "isPartOf", "keywords", "license",
    "mentions", "publisher", "sourceOrganization", "text", "version",
}  # fmt: skip
REVIEW = CREATIVE_WORK | {
    "associatedClaimReview", "associatedMediaReview", "associatedReview", "itemReviewed", "negativeNotes",
    "positiveNotes", "reviewAspect", "reviewBody", "reviewRating",
}  # fmt: skip
CLAIM_REVIEW = REVIEW | {"claimReviewed"}
CLAIM = CREATIVE_WORK | {"appearance", "claimInterpreter", "firstAppearance"}
RATING = THING | {"author", "bestRating", "ratingExplanation", "ratingValue", "reviewAspect", "worstRating"}
ARTICLE = CREATIVE_WORK | {
    "articleBody",
    "articleSection",
    "backstory",
    "pageEnd",
    "pageStart",
    "pagination",
    "wordCount",
}
NEWS_ARTICLE = ARTICLE | {"dateline", "printColumn", "printEdition", "printPage", "printSection"}
PERSON = THING | {
    "additionalName", "affiliation", "alumniOf", "familyName", "givenName", "honorificPrefix", "honorificSuffix",
    "jobTitle", "memberOf", "worksFor",
}  # fmt: skip
ORGANIZATION = THING | {
    "address", "alumni", "department", "email", "founder", "legalName", "logo", "member", "memberOf",
    "parentOrganization", "subOrganization",
}  # fmt: skip
PROPERTIES = {
    "ClaimReview": CLAIM_REVIEW,
    "Claim": CLAIM,
    "Rating": RATING,
    "CreativeWork": CREATIVE_WORK,
    "NewsArticle": NEWS_ARTICLE,
    "Person": PERSON,
    "Organization": ORGANIZATION,
}
JSON_LD_KEYWORDS = {"@context", "@type", "@id"}


def nodes(value):
    """Every JSON-LD node (a dict with @type) inside ``value``."""
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for item in value.values():
            yield from nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from nodes(item)


@pytest.fixture(scope="module")
def reviews():
    return reviews_from_data(BASE, date_published="2026-11-26")


def test_one_review_per_claim_in_order(reviews):
    claims = load_dataset("claims")
    assert [r["identifier"] for r in reviews] == claims["id"].tolist()
    assert all(r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview" for r in reviews)


def test_every_key_is_a_property_schema_org_defines_for_its_type(reviews):
    for review in reviews:
        for node in nodes(review):
            assert node["@type"] in PROPERTIES, node["@type"]
            unknown = set(node) - JSON_LD_KEYWORDS - PROPERTIES[node["@type"]]
            assert not unknown, (node["@type"], unknown)


def test_required_values_are_present(reviews):
    for review in reviews:
        assert review["claimReviewed"] and review["url"].startswith(BASE + "/")
        assert review["reviewRating"]["@type"] == "Rating"
        assert review["reviewRating"]["alternateName"] in VERDICT_LABELS.values()
        assert review["author"] == {"@type": "Organization", "name": "Policy Lens", "url": BASE}
        assert review["datePublished"] == "2026-11-26" and review["reviewBody"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]
        assert all(a["@type"] == "Person" and a["name"] for a in item["author"])
        first = item["firstAppearance"]
        assert first["@type"] == "NewsArticle"
        assert first["url"].startswith("https://news.cgtn.com/news/2023-11-09/China-s-efforts-in-global-technological")
        assert first["datePublished"] == "2023-11-09" and item["datePublished"] == "2023-11-09"
        assert first["headline"] == "China's efforts in global technological collaboration"
        assert [a["name"] for a in first["author"]] == ["Keke Gai", "Jing Yu"]
        assert first["publisher"] == {"@type": "Organization", "name": "CGTN"}


def test_verdicts_urls_and_authors_of_particular_claims(reviews):
    by_id = {r["identifier"]: r for r in reviews}
    c03 = by_id["c03"]
    assert c03["claimReviewed"] == "Over 3400 enterprises"
    assert c03["reviewRating"]["alternateName"] == "Source is more precise"
    assert c03["url"] == f"{BASE}/sources?dataset=expo"
    assert c03["citation"]["url"] == "https://www.shine.cn/biz/event/2311109813/"
    assert [a["name"] for a in c03["itemReviewed"]["author"]] == ["Keke Gai", "Jing Yu"]
    c07 = by_id["c07"]
    assert c07["url"] == f"{BASE}/sources?dataset=ai-research"
    assert c07["reviewRating"]["alternateName"] == "Consistent"
    c15 = by_id["c15"]  # not checkable: no citation, the claim's paragraph in the reader
    assert c15["reviewRating"]["alternateName"] == "Not checkable"
    assert c15["url"] == f"{BASE}/themes?paragraph=2" and "citation" not in c15
    assert by_id["c14"]["url"] == f"{BASE}/"  # the editor's note, shown on the Overview
    # a claim inside Linhua Dong's direct quote is Linhua Dong's
    assert [a["name"] for a in by_id["c25"]["itemReviewed"]["author"]] == ["Linhua Dong"]


def test_evidence_url_and_review_are_pure():
    claim = {"id": "c99", "paragraph": 7, "source_dataset": "", "claim_text": "x", "verdict": "consistent"}
    assert evidence_url(claim, "http://h/") == "http://h/themes?paragraph=7"
    assert (
        evidence_url({**claim, "source_dataset": "ai-research"}, "http://h") == "http://h/sources?dataset=ai-research"
    )
    review = claim_review(claim, {"title": "T", "authors": ["A"], "published": "2023-11-09"}, "http://h")
    assert review["itemReviewed"]["author"] == [{"@type": "Person", "name": "A"}]
    assert "datePublished" not in review and "citation" not in review


def test_the_document_is_one_json_ld_graph(reviews):
    document = json.loads(claim_reviews_document(reviews))
    assert document["@context"] == "https://schema.org"
    assert len(document["@graph"]) == len(reviews)
    assert all("@context" not in node for node in document["@graph"])
