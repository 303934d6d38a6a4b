#!/usr/bin/python3
"""Make the demo's scripted review answers (examples/data/answers-*.jsonl)
from the review queue of a stand-in run (gunzipped, as argv[1]) and its
gold key (lp-sample --gold-key, as argv[2]): alice and
bob mostly agree, gold items mostly right, a few notes and corrections;
judy decides where they differ.  Deterministic: ids are hashed."""
import hashlib, json, sys

def h(s, salt):
    return int(hashlib.sha256((salt + s).encode()).hexdigest()[:8], 16) / 2**32

queue = [json.loads(l) for l in open(sys.argv[1])]
gold = {k["id"]: k["gold"] for k in map(json.loads, open(sys.argv[2]))}
for r in queue:
    if r["id"] in gold:
        r["gold"] = gold[r["id"]]
out = {"alice": [], "bob": []}
for r in queue:
    base = r.get("gold", {}).get("label") or (4 if h(r["id"], "q") < 0.6 else 3 if h(r["id"], "q") < 0.85 else 2)
    for who, err in (("alice", 0.06), ("bob", 0.10)):
        lab = base
        if h(r["id"], who) < (err / 2 if "gold" in r else err):
            lab = max(1, min(4, base + (1 if h(r["id"], who + "d") < 0.5 else -1)))
        a = {"id": r["id"], "label": lab, "time_to_label_ms": int(4000 + 20000 * h(r["id"], who + "t"))}
        if lab <= 2 and who == "alice":
            a["note"] = "key attribute wrong or missing"
        if lab == 3 and who == "bob" and r.get("translation", {}).get("text"):
            a["correction"] = r["translation"]["text"].replace(" ", "")
        out[who].append(a)
judy = []
for a, b in zip(out["alice"], out["bob"]):
    if a["label"] != b["label"]:
        judy.append({"id": a["id"], "label": min(a["label"], b["label"]), "note": "the stricter reading: see the guide's rule on key attributes"})
for who, rows in list(out.items()) + [("judy", judy)]:
    with open(f"data/answers-{who}.jsonl", "w") as f:
        for a in rows:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
