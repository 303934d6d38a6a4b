#!/bin/sh
# An archive of lp-scrape read by an independent reader, warcio.js (npm
# install -g warcio): every record parses, record ids are UUIDs of version
# 5 and variant 10, every response's WARC-Payload-Digest is the SHA-256 of
# its payload as warcio reads it.  Skipped (77) without npm or warcio;
# LP_WARCIO names a warcio folder installed elsewhere.
set -u
command -v node > /dev/null && command -v npm > /dev/null ||
    { echo "skip: no node or npm"; exit 77; }
w=${LP_WARCIO:-$(npm root -g 2> /dev/null)/warcio}
[ -f "$w/package.json" ] || { echo "skip: no warcio ($w)"; exit 77; }
d=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$d"' EXIT
cd "$d" || exit 1
mkdir -p site/sch && cp "$LP_TEST_DATA/scrape/robots.txt" site/ &&
    cp "$LP_TEST_DATA/scrape/classic.html" site/sch/i.html &&
    cp "$LP_TEST_DATA/scrape/page2.html" site/sch/page2.html || exit 1
"$LP_BINDIR/standin" --port-file port --root "$d/site" &
pid=$!
i=0
while [ ! -s port ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
u=http://127.0.0.1:$(cat port)
"$LP_TOOLDIR/lp-scrape" --plain -q --pages 2 --delay 0 --warc a.warc.gz \
    "$u/sch/i.html" > /dev/null || { echo "FAIL: lp-scrape"; exit 1; }
cat > check.cjs << 'JS'
const { WARCParser } = require(process.argv[2]);
const fs = require("fs");
const crypto = require("crypto");
const uuid = /^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}>$/;
function base32(b) {
	const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	let out = "", acc = 0, bits = 0;
	for (const x of b) {
		acc = ((acc << 8) | x) & 0xffff;
		bits += 8;
		while (bits >= 5) { bits -= 5; out += abc[(acc >> bits) & 31]; }
	}
	if (bits > 0) out += abc[(acc << (5 - bits)) & 31];
	while (out.length % 8) out += "=";
	return out;
}
(async () => {
	const n = {}, bad = [];
	const p = new WARCParser(fs.createReadStream(process.argv[3]));
	for await (const r of p) {
		const id = r.warcHeader("WARC-Record-ID");
		n[r.warcType] = (n[r.warcType] || 0) + 1;
		if (!uuid.test(id)) bad.push("record id " + id);
		if (r.warcType !== "response") { await r.readFully(false); continue; }
		const body = await r.readFully(false);
		const want = "sha256:" + base32(crypto.createHash("sha256").update(body).digest());
		if (r.warcPayloadDigest !== want)
			bad.push(r.warcTargetURI + ": payload digest " + r.warcPayloadDigest + ", want " + want);
	}
	console.log(JSON.stringify(n));
	for (const b of bad) console.log("FAIL: " + b);
	process.exit(bad.length || !n.response || !n.warcinfo ? 1 : 0);
})().catch((e) => { console.log("FAIL: " + e); process.exit(1); });
JS
node check.cjs "$w" a.warc.gz
