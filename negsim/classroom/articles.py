"""The source articles of the S-400 scenarios, by file name, so quotes can name their article."""

from __future__ import annotations

__all__ = ["article_title"]

# The article files that scenario ``sources`` refer to (see the scenario library's README).
ARTICLES = {
    "000_ad685fa40efd0d6c.txt": "Intel: Turkey says S-400 stance unchanged despite US pressure (Mar 2020)",
    "001_8dc00d444cceae15.txt": "US wants Turkey to never use S400 after purchase (2018)",
    "002_b58e59203b67adca.txt": "US again warns Turkey on Russian missiles at NATO (Apr 2018)",
    "003_cb3be27c97f79b91.txt": (
        "Turkey resists U.S. pressure to scrap Russian S-400s, explores limited-use compromise (Nov 2025)"
    ),
    "004_db26d9c5baf27b47.txt": "NATO member Turkey close to acquiring Russian S-400 missiles (Feb 2017)",
}


def article_title(file: str | None) -> str:
    """The article's headline and date, or the file name when the article is not known."""
    if not file:
        return ""
    return ARTICLES.get(file, file)
