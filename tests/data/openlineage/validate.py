#!/usr/bin/env python3
"""Validate OpenLineage events (JSON Lines files) against the schemas in
this folder, with no network: every event against OpenLineage.json, every
facet against the schema its _schemaURL names.  Prints "N events valid" or
each error, and exits 1 on any.  Exit 77 when python3-jsonschema is absent
or cannot do draft 2020-12."""
import json
import os
import sys
import warnings

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    print("no python3-jsonschema with draft 2020-12", file=sys.stderr)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
OL = "https://openlineage.io/spec/"
LP = "https://raw.githubusercontent.com/labelpipe/labelpipe/"


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def local(url):
    """The local file of a schema URL (without its fragment), or None."""
    base = url.split("#")[0]
    name = base.rsplit("/", 1)[-1]
    if base.startswith(OL + "facets/"):
        path = os.path.join(HERE, "facets", name)
    elif base.startswith(OL) and name == "OpenLineage.json":
        path = os.path.join(HERE, name)
    elif base.startswith(LP) and name == "LabelpipeRunFacet.json":
        path = os.path.join(HERE, name)
    else:
        return None
    return path if os.path.exists(path) else None


main = load(os.path.join(HERE, "OpenLineage.json"))
store = {main["$id"]: main}
for name in os.listdir(os.path.join(HERE, "facets")):
    s = load(os.path.join(HERE, "facets", name))
    store[s["$id"]] = s
store[LP + "LabelpipeRunFacet.json"] = load(
    os.path.join(HERE, "LabelpipeRunFacet.json"))
Draft202012Validator.check_schema(main)


def resolver_for(schema, url):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return jsonschema.RefResolver(url, schema, store=store)


def validator(schema, url):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return Draft202012Validator(
            schema, resolver=resolver_for(schema, url),
            format_checker=jsonschema.FormatChecker())


def facets(event):
    """Every facet of the event: (where, facet)."""
    run = event.get("run", {}).get("facets", {})
    for k, v in run.items():
        yield "run.facets." + k, v
    for k, v in event.get("job", {}).get("facets", {}).items():
        yield "job.facets." + k, v
    for side in ("inputs", "outputs"):
        for i, d in enumerate(event.get(side, [])):
            for kind in ("facets", "inputFacets", "outputFacets"):
                for k, v in d.get(kind, {}).items():
                    yield "%s[%d].%s.%s" % (side, i, kind, k), v


def check_facet(where, facet, errors):
    url = facet.get("_schemaURL", "")
    if not url.startswith("https://"):
        errors.append("%s: _schemaURL %r is not https" % (where, url))
        return
    path = local(url)
    if path is None:
        errors.append("%s: no local schema for %s" % (where, url))
        return
    schema = load(path)
    base = schema.get("$id", LP + "LabelpipeRunFacet.json")
    pointer = url.split("#", 1)[1] if "#" in url else ""
    sub = {"$ref": base + "#" + pointer}
    for e in validator(sub, "urn:labelpipe:check").iter_errors(facet):
        errors.append("%s: %s" % (where, e.message))


def main_():
    event_validator = validator(main, main["$id"])
    n = 0
    errors = []
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                where = "%s:%d" % (path, lineno)
                event = json.loads(line)
                n += 1
                for e in event_validator.iter_errors(event):
                    errors.append("%s: %s" % (where, e.message))
                for k in ("producer", "schemaURL"):
                    if not str(event.get(k, "")).startswith("https://"):
                        errors.append("%s: %s is not https" % (where, k))
                for w, facet in facets(event):
                    check_facet(where + ": " + w, facet, errors)
    for e in errors:
        print(e)
    if errors:
        sys.exit(1)
    print("%d events valid" % n)


main_()
