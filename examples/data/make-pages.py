#!/usr/bin/python3
"""Make the demo's saved result pages (examples/data/pages/*.html): eBay UK
search results in the classic s-item markup, invented listings (no real
eBay page is copied), with a few exact and near duplicates across pages
for lp-dedup.  Deterministic: run it again and the pages are the same.
The demo serves them from a local server, as lp-scrape would see eBay."""
import html, os, random

rnd = random.Random(20261203)
brands = [("Apple", ["iPhone 13 128GB", "iPhone 12 64GB", "iPad Air 64GB", "Watch Series 7 45mm", "AirPods Pro"]),
          ("Samsung", ["Galaxy S21 5G 128GB", "Galaxy A52 128GB", "Galaxy Watch 4", "Galaxy Buds 2"]),
          ("Sony", ["WH-1000XM4 Wireless Headphones", "Alpha a6000 Camera", "PlayStation 5 Controller"]),
          ("Canon", ["EOS 250D Camera", "EF 50mm f/1.8 Lens"]),
          ("Nike", ["Air Max 90 Mens Shoes Size 9", "Revolution 6 Womens Shoes Size 5"]),
          ("Anker", ["USB C Charger 65W", "USB C Cable 2m"]),
          ("Lenovo", ["ThinkPad X1 Carbon Laptop 16GB", "IdeaPad 3 Laptop 8GB"])]
colours = ["Black", "White", "Blue", "Red", ""]
extras = ["Unlocked", "Boxed", "Sealed", "Genuine", "Original", "Excellent Condition", "with Case", ""]
conds = ["Brand New", "Pre-owned", "Opened – never used", "Refurbished", "Used"]
sellers = ["phonehub", "gadgetsuk", "tech_outlet_uk", "camera-world", "sneaker.store", "bargainbin"]
places = ["United Kingdom", "United Kingdom", "United Kingdom", "China", "Germany"]

def title():
    b, models = rnd.choice(brands)
    parts = [b, rnd.choice(models), rnd.choice(colours), rnd.choice(extras)]
    return " ".join(p for p in parts if p)

items = []
for i in range(96):
    items.append({"id": 256100000000 + i * 7919, "title": title(),
                  "price": round(rnd.uniform(4, 900), 2), "cond": rnd.choice(conds),
                  "seller": rnd.choice(sellers), "place": rnd.choice(places),
                  "auction": rnd.random() < 0.2, "ship": rnd.choice([0, 0, 2.99, 3.99, 7.5])})
# Duplicates: the same listing on two pages, and relisted near copies.
pages = [items[0:32], items[32:64], items[64:96]]
pages[1][5] = dict(items[3])
pages[2][7] = dict(items[40])
for k, src in ((10, 12), (20, 50)):
    near = dict(items[src]); near["id"] += 1; near["title"] = near["title"] + " !!"
    pages[2][k] = near

def card(it):
    t = html.escape(it["title"])
    s = ['<li class="s-item">',
         f' <div class="s-item__image"><img class="s-item__image-img" src="https://i.ebayimg.com/images/g/{it["id"] % 997}/s-l225.jpg" alt=""></div>',
         f' <a class="s-item__link" href="https://www.ebay.co.uk/itm/{it["id"]}?hash=item{it["id"] % 4099:x}&amp;_trkparms=demo">',
         f'  <h3 class="s-item__title">{t} <span class="clipped">Opens in a new window or tab</span></h3></a>',
         f' <div class="s-item__subtitle"><span class="SECONDARY_INFO">{it["cond"]}</span></div>',
         f' <span class="s-item__price">£{it["price"]:,.2f}</span>',
         ' <span class="s-item__shipping s-item__logisticsCost">' + ("Free postage" if not it["ship"] else f'+£{it["ship"]:.2f} postage') + '</span>']
    if it["auction"]:
        s += [f' <span class="s-item__bids s-item__bidCount">{rnd.randint(1, 30)} bids</span>',
              f' <span class="s-item__time-left">{rnd.randint(0, 6)}d {rnd.randint(1, 23)}h left</span>']
    else:
        s += [' <span class="s-item__purchase-options-with-icon">Buy it now</span>']
    s += [f' <span class="s-item__seller-info-text">{it["seller"]} ({rnd.randint(10, 9000):,}) 99.{rnd.randint(0, 9)}%</span>',
          f' <span class="s-item__location s-item__itemLocation">from {it["place"]}</span>', '</li>']
    return "\n".join(s)

os.makedirs(os.path.join(os.path.dirname(__file__), "site", "sch"), exist_ok=True)
for n, page in enumerate(pages, 1):
    nxt = f'<a class="pagination__next" href="/sch/page{n + 1}.html">Next</a>' if n < len(pages) else ""
    body = "\n".join(card(it) for it in page)
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>electronics | eBay</title></head>
<body>
<ul class="srp-results">
<li class="s-item"><div class="s-item__title"><span>Shop on eBay</span></div>
 <a class="s-item__link" href="https://www.ebay.co.uk/itm/123456">x</a></li>
{body}
</ul>
{nxt}
</body></html>
"""
    with open(os.path.join(os.path.dirname(__file__), "site", "sch", f"page{n}.html"), "w") as f:
        f.write(doc)
