#!/usr/bin/python3
"""The same extraction as lp-scrape's eBay profile, with BeautifulSoup and
Python's html.parser, for bench/scrape's ratio: items, title (without the
"New listing" and "Opens in a new window" texts), price text and item id.
Usage: scrape-bs4.py FILE... ; prints the number of listings found."""
import re
import sys

from bs4 import BeautifulSoup

ITEM_ID = re.compile(r"/itm/([^/?#]*/)?([0-9]{6,})")


def items(html):
    soup = BeautifulSoup(html, "html.parser")
    for li in soup.select("li.s-item, li.s-card"):
        if li.find_parent(class_=["srp-merch", "srp-merch__items-list"]):
            continue
        a = li.select_one("a.s-item__link, a.s-card__link")
        m = ITEM_ID.search(a.get("href", "")) if a else None
        if not m:
            continue
        t = li.select_one(".s-item__title, .s-card__title")
        if t is None:
            continue
        for x in t.select(".LIGHT_HIGHLIGHT, .clipped"):
            x.decompose()
        title = " ".join(t.get_text(" ").split())
        if title == "Shop on eBay":
            continue
        p = li.select_one(".s-item__price, .s-card__price")
        yield m.group(2), title, p.get_text(" ", strip=True) if p else None


n = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as f:
        n += sum(1 for _ in items(f.read()))
print(n)
