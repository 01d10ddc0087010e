"""ClaimReview: a schema.org record for every claim with a verdict, as a search engine or a fact-check
index reads it (the rating is the verdict scale mapped once; no number for a verdict that is no point
on the true-false scale; the claim's appearance is the article or excerpt that carried it).
"""
from __future__ import annotations

import urllib.parse

from estimates.document import CaseReport
from estimates.pages import first_sentence
from estimates.verdicts import CANNOT_TELL, RATING, RATING_BEST, RATING_WORST, UNDETERMINED, UNVERIFIED

#: The organisation named as the author of the ClaimReview records, unless configured.
PUBLISHER = "estimate-checker"


def review_url(base_url: str, case_id: str, claim_id: str) -> str:
    """A review's address: under ``base_url`` (an http(s) address; a missing trailing slash is added),
    or, with none, relative to the case's folder, where both the page and claimreview.jsonld live."""
    anchor = f"index.html#claim-{claim_id}"
    if not base_url:
        return anchor
    check_base_url(base_url)
    return urllib.parse.urljoin(base_url.rstrip("/") + "/", f"{case_id}/{anchor}")


def check_base_url(base_url: str) -> None:
    """Only an http(s) address with a host may be the report's base URL (ValueError otherwise)."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in base_url):
        raise ValueError(f"--base-url {base_url!r} is not an http(s) address (such as https://example.org/checks/)")


def review_date(case: CaseReport) -> str:
    """The day a case's review is dated: its latest freeze's, or its article's (never the clock)."""
    h = case.hindsight or {}
    return h["freezes"][-1]["frozen_on"] if h.get("freezes") else case.article.published


def records(case: CaseReport, publisher: str = PUBLISHER, base_url: str = "") -> list[dict]:
    """schema.org ClaimReview records for every claim of a case that has a verdict. The rating is the
    verdict scale mapped once (:data:`estimates.verdicts.RATING`), and no number for a verdict that is
    not a point on the true-false scale; the claim's appearance is the article (or the excerpt) that
    carried it, with its address; its author a Person where the register names one; the review's date
    is the latest freeze's day, or the article's date: from the data, never the clock."""
    reviewed_on = review_date(case)
    out = []
    for v in case.verdicts:
        if v.verdict not in RATING and v.verdict not in (UNDETERMINED, CANNOT_TELL):
            continue
        where = v.reported_in  # the excerpt that carried the claim, or the article
        appearance = {"@type": "CreativeWork", "headline": where.headline, "datePublished": where.published,
                      "publisher": {"@type": "Organization", "name": where.outlet}}
        if where.url:
            appearance["url"] = where.url
        author = ({"@type": "Person", "name": v.claimant_person, "description": v.claimant or ""}
                  if v.claimant_person else
                  {"@type": "Organization", "name": v.claimant or "not recorded"})
        out.append({
            "@context": "https://schema.org", "@type": "ClaimReview",
            "url": review_url(base_url, case.id, v.claim_id),
            "claimReviewed": v.quote,
            "itemReviewed": {"@type": "Claim", "author": author,
                             "datePublished": v.made_on or case.article.published,
                             "appearance": appearance},
            "reviewRating": rating(v.verdict, v.explanation, v.verdict_range),
            "author": {"@type": "Organization", "name": publisher},
            "datePublished": reviewed_on,
        })
    return out


def rating(verdict: str, explanation: str = "", verdict_range=()) -> dict:
    """A ClaimReview rating: a point on the 1-5 scale for a verdict of one class; for "unverified",
    "undetermined" (with its range) and "cannot tell", the words alone and no number, since none is a
    point on the true-false scale."""
    rating = {"@type": "Rating", "ratingExplanation": first_sentence(explanation or "") or verdict}
    if verdict == UNVERIFIED:  # no evidence either way is not the middle of the true-false scale
        return {**rating, "alternateName": UNVERIFIED}
    if verdict in RATING:
        return {**rating, "ratingValue": RATING[verdict], "bestRating": RATING_BEST, "worstRating": RATING_WORST,
                "alternateName": verdict}
    span = [c for c in verdict_range or [] if c != CANNOT_TELL]
    name = verdict if verdict == CANNOT_TELL or not span else \
        f"{UNDETERMINED}: {span[0]}" + (f" to {span[-1]}" if len(span) > 1 else "")
    return {**rating, "alternateName": name}


def script_safe(text: str) -> str:
    r"""JSON made safe inside an HTML script element: markup characters as JSON escapes (same data).

    >>> script_safe('{"q": "a < b & c"}')
    '{"q": "a \\u003c b \\u0026 c"}'
    """
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
