"""How worksheets name the source article of a quote: outlet, title and date.

The names come from the sources index shipped with the scenario library
(:mod:`negsim.scenarios.articles`), so a worksheet made from an installed package names its
articles as well as one made from a checkout.
"""

from __future__ import annotations

from negsim.scenarios.articles import describe_article

__all__ = ["article_title"]


def article_title(file: str | None) -> str:
    """The article's outlet, title and date, or the file name when the index does not know it."""
    return describe_article(file)
