"""A case: one article (its verbatim seed), its claims register, and the sources it may see.

``load_case(case_id)`` is how a notebook starts; the case id is the seed's file stem. A new
article is a new seed and register under ``seeds/`` and new notebooks: no package change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from estimates import paths
from estimates.claims import Article, Claim, Register, load_register
from estimates.sources import SourceBook, load_sources
from estimates.validate import read_text


@dataclass(frozen=True)
class Case:
    """An article, its register and the as-of view of the reference sources."""

    id: str
    text: str
    register: Register
    sources: SourceBook

    @property
    def article(self) -> Article:
        return self.register.article

    @property
    def claims(self) -> tuple[Claim, ...]:
        return self.register.claims

    def claim(self, claim_id: str) -> Claim:
        return self.register[claim_id]

    def checked_by(self, notebook: str) -> list[str]:
        """The ids of the claims the register assigns to ``notebook`` (a file stem), in register order."""
        return [c.id for c in self.claims if c.check == notebook]


def load_case(case_id: str, sources_path=None) -> Case:
    """Load the seed, validate its register, and view the sources as of the article's date."""
    seed = paths.seed_path(case_id)
    register = load_register(paths.claims_path(case_id), seed)
    book = load_sources(sources_path or paths.reference_figures()).as_of(register.article.published, case_id)
    return Case(case_id, read_text(seed), register, book)


#: A case id: lower-case letters and digits in words joined by hyphens (by convention the article's date
#: first: ``2023-11-01-thehindu-afp-nk-russia-artillery``). Nothing else is a case: a file name can
#: carry anything (``javascript:alert(8)``), a link on a page must not.
CASE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def case_ids() -> list[str]:
    """Every case that has both a seed and a claims register and a valid case id (:data:`CASE_ID`),
    sorted; :func:`not_cases` names the register files left out."""
    return sorted(cid for cid in _registered() if CASE_ID.fullmatch(cid) and paths.seed_path(cid).is_file())


def not_cases() -> list[str]:
    """Register files in the seeds folder whose name is not a case id, so not read as a case."""
    return sorted(f"{cid}.claims.toml" for cid in _registered() if not CASE_ID.fullmatch(cid))


def _registered() -> list[str]:
    return [p.name[: -len(".claims.toml")] for p in paths.SEEDS.glob("*.claims.toml")]
