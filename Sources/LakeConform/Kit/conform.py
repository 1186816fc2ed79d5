"""The comparison rules of docs/SPEC.md 9.2 (projection per level, canonical JSON, semantic
normalization, the first difference), shared by run.py. Python 3.8+ standard library only."""
import json, unicodedata

LEVELS = ["parse", "shape", "normalize", "enrich", "full", "refusals"]
PARSE = {"export_kind", "record_kind", "source"}
NORMALIZE = PARSE | {"category", "data", "occurred_at", "source_offset", "user"}
SHAPE = NORMALIZE
ENRICH = NORMALIZE | {"data_class", "entities", "language", "pii", "relationships"}
KEYS = {"parse": PARSE, "shape": SHAPE, "normalize": NORMALIZE, "enrich": ENRICH, "full": None, "refusals": set()}
POSITION = {"index", "input", "path"}
LISTED = 20


class Number(str):
    """A JSON number kept as spelled."""


def load(line):
    def constant(name):
        raise ValueError("not JSON: " + name)
    return json.loads(line, parse_int=Number, parse_float=Number, parse_constant=constant,
                      object_pairs_hook=lambda pairs: ("object", pairs))


def nfc(s):
    return unicodedata.normalize("NFC", s)


def canonical(v):
    """docs/SPEC.md's canonical JSON: sorted NFC keys (the last duplicate wins), minimal escapes."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, Number):
        return str(v)
    if isinstance(v, str):
        return json.dumps(nfc(v), ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    members = {}
    for k, x in v[1]:
        members[nfc(k)] = x
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(members[k])
                          for k in sorted(members, key=lambda k: k.encode("utf-8"))) + "}"


def get(v, key):
    if isinstance(v, tuple):
        found = None
        for k, x in v[1]:
            if k == key:
                found = (x,)
        return found[0] if found else None
    return None


def type_shape(v):
    """Every scalar replaced by its JSON type's plain value (the `shape` level's `data`)."""
    if isinstance(v, tuple):
        return ("object", [(k, type_shape(x)) for k, x in v[1]])
    if isinstance(v, list):
        return [type_shape(x) for x in v]
    if v is None:
        return None
    if v is True or v is False:
        return False
    return Number("0") if isinstance(v, Number) else ""


def project(level, v):
    if not isinstance(v, tuple):
        return v
    refused = get(v, "refused")
    if refused is not None:
        if level != "refusals" or not isinstance(refused, tuple):
            return None
        return ("object", [("refused", ("object", [(k, x) for k, x in refused[1] if k in ("entry", "input", "rule")]))])
    if level == "refusals":
        return None
    keys = KEYS[level]
    if keys is None:
        return v
    out = []
    for k, x in v[1]:
        if k not in keys:
            continue
        if k == "source" and isinstance(x, tuple):
            x = ("object", [(a, b) for a, b in x[1] if a in POSITION])
        if k == "data" and level == "shape":
            x = type_shape(x)
        out.append((k, x))
    return ("object", out)


def number(n):
    s, negative = n, False
    if s.startswith("-"):
        negative, s = True, s[1:]
    digits, exponent, after_point, explicit, exp_negative, in_exp, saw_exp = [], 0, False, 0, False, False, False
    for c in s:
        if c.isdigit() and in_exp:
            explicit = min(explicit * 10 + int(c), 1000000)
            saw_exp = True
        elif c.isdigit():
            digits.append(c)
            if after_point:
                exponent -= 1
        elif c == ".":
            after_point = True
        elif c in "eE":
            in_exp = True
        elif c == "-" and in_exp:
            exp_negative = True
        elif c == "+" and in_exp:
            pass
        else:
            return n
    if in_exp and not saw_exp:
        return n
    exponent += -explicit if exp_negative else explicit
    while digits and digits[0] == "0":
        digits.pop(0)
    if not digits:
        return "0"
    while digits[-1] == "0":
        digits.pop()
        exponent += 1
    mantissa = digits[0] + ("." + "".join(digits[1:]) if len(digits) > 1 else "")
    return ("-" if negative else "") + mantissa + "e" + str(exponent + len(digits) - 1)


def days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def days_in_month(y, m):
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def instant(s):
    """An RFC 3339 time as SPEC section 8's ISO-8601 parser reads it, with `T`, as the UTC
    instant with milliseconds; None for any other string."""
    b = s
    if not (20 <= len(b.encode("utf-8")) <= 40) or not s.isascii():
        return None
    def num(i, n):
        part = b[i:i + n]
        return int(part) if len(part) == n and all("0" <= c <= "9" for c in part) else None
    year, month, day, hour, minute, second = num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
    if None in (year, month, day, hour, minute, second) or b[4] != "-" or b[7] != "-" or b[10] not in "Tt" \
            or b[13] != ":" or b[16] != ":":
        return None
    i, millis = 19, 0
    if i < len(b) and b[i] == ".":
        i += 1
        start = i
        while i < len(b) and "0" <= b[i] <= "9":
            i += 1
        if not 1 <= i - start <= 9:
            return None
        millis = int((b[start:i] + "00")[:3])
    if i >= len(b):
        return None
    offset = 0
    if b[i] in "Zz":
        i += 1
    else:
        oh, om = num(i + 1, 2), num(i + 4, 2)
        if b[i] not in "+-" or oh is None or om is None or i + 3 >= len(b) or b[i + 3] != ":" or oh > 23 or om > 59:
            return None
        offset = (oh * 60 + om) * (-1 if b[i] == "-" else 1)
        i += 6
    if i != len(b):
        return None
    if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= days_in_month(year, month)
            and hour <= 23 and minute <= 59 and second <= 59):
        return None
    ms = (days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset * 60) * 1000 + millis
    if not (days_from_civil(1, 1, 1) * 86400000 <= ms <= (days_from_civil(10000, 1, 1) * 86400000 - 1)):
        return None
    seconds, ms = divmod(ms, 1000)
    days, rest = divmod(seconds, 86400)
    y, m, d = civil_from_days(days)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (y, m, d, rest // 3600, rest // 60 % 60, rest % 60, ms)


def semantic(v):
    if isinstance(v, Number):
        return Number(number(v))
    if isinstance(v, str):
        t = instant(v)
        return v if t is None else t
    if isinstance(v, list):
        return [semantic(x) for x in v]
    if isinstance(v, tuple):
        return ("object", [(k, semantic(x)) for k, x in v[1]])
    return v


def keys(v):
    """The id key and the position key of a line (None when it has none): lines are matched by
    id and, failing that, by position (below `full` the expected side has no ids)."""
    i = get(v, "id")
    ident = "id " + i if isinstance(i, str) and not isinstance(i, Number) else None
    s = get(v, "source")
    if s is None:
        return ident, None
    def text(x):
        return x if isinstance(x, str) and not isinstance(x, Number) else "?"
    index = get(s, "index")
    return ident, "position %s %s #%s" % (text(get(s, "input")), text(get(s, "path")), index if isinstance(index, Number) else "?")


def other(v):
    r = get(v, "refused")
    if r is not None:
        e = get(r, "entry")
        return "refusal %s %s %s" % (get(r, "input") or "?", e if isinstance(e, str) else "-", get(r, "rule") or "?")
    return "line " + canonical(v)


def lines(data, level, mode):
    out = []
    for number_, raw in enumerate(data.split(b"\n"), 1):
        if not raw:
            continue
        try:
            v = load(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as e:
            return None, (number_, "line %d is not JSON: %s" % (number_, e))
        p = project(level, v)
        if p is None:
            continue
        if mode == "semantic":
            p = semantic(p)
        ident, position = keys(v)
        out.append({"id": ident, "position": position, "key": ident or position or other(v), "bytes": canonical(p), "value": p})
    return out, None


def field_differences(a, b):
    out = []
    def text(v):
        return "absent" if v is MISSING else canonical(v)
    def walk(a, b, p):
        if len(out) >= LISTED:
            return
        if isinstance(a, tuple) and isinstance(b, tuple):
            ka, kb = dict(a[1]), dict(b[1])
            for k in sorted(set(ka) | set(kb), key=lambda k: k.encode("utf-8")):
                walk(ka.get(k, MISSING), kb.get(k, MISSING), p + "/" + k.replace("~", "~0").replace("/", "~1"))
        elif isinstance(a, list) and isinstance(b, list):
            for i in range(max(len(a), len(b))):
                walk(a[i] if i < len(a) else MISSING, b[i] if i < len(b) else MISSING, p + "/" + str(i))
        elif (a is MISSING) != (b is MISSING) or a is MISSING or canonical(a) != canonical(b) or type(a) != type(b):
            if a is MISSING and b is MISSING:
                return
            out.append({"pointer": p or "/", "expected": text(a), "got": text(b)})
    walk(a, b, "")
    return out


MISSING = object()


def index(lines):
    by_id, by_position, by_other = {}, {}, {}
    for i, l in enumerate(lines):
        if l["id"] is not None:
            by_id.setdefault(l["id"], i)
        if l["position"] is not None:
            by_position.setdefault(l["position"], i)
        if l["id"] is None and l["position"] is None:
            by_other.setdefault(l["key"], i)
    return by_id, by_position, by_other


def match(l, idx):
    if l["id"] is not None and l["id"] in idx[0]:
        return idx[0][l["id"]]
    if l["position"] is not None and l["position"] in idx[1]:
        return idx[1][l["position"]]
    return idx[2].get(l["key"]) if l["id"] is None and l["position"] is None else None


def compare(expected, got, level, mode):
    want, err = lines(expected, level, mode)
    if err:
        return {"line": err[0], "summary": "the expected output: " + err[1]}
    have, err = lines(got, level, mode)
    if err:
        return {"line": err[0], "summary": err[1], "record": None, "fields": [], "missing": [], "extra": []}
    if len(want) == len(have) and all(w["bytes"] == h["bytes"] for w, h in zip(want, have)):
        return None
    have_index, want_index = index(have), index(want)
    missing = [w["key"] for w in want if match(w, have_index) is None]
    extra = [h["key"] for h in have if match(h, want_index) is None]
    first = next((i for i, (w, h) in enumerate(zip(want, have)) if w["bytes"] != h["bytes"]), min(len(want), len(have)))
    d = {"line": first + 1, "record": None, "fields": [], "missing": missing[:LISTED], "extra": extra[:LISTED]}
    if first < len(want):
        w = want[first]
        d["record"] = w["key"]
        j = match(w, have_index)
        if j is not None:
            d["fields"] = field_differences(w["value"], have[j]["value"])
            if not d["fields"]:
                d["summary"] = "record %d (%s) is line %d of the output: the records are out of order" % (first + 1, w["key"], j + 1)
            else:
                d["summary"] = "record %d (%s) differs in %d value(s)" % (first + 1, w["key"], len(d["fields"]))
        else:
            d["summary"] = "record %d (%s) is missing" % (first + 1, w["key"])
    else:
        d["record"] = have[first]["key"]
        d["summary"] = "the output has %d record(s) more than expected, from line %d" % (len(have) - len(want), first + 1)
    if missing or extra:
        d["summary"] += "; %d missing, %d extra" % (len(missing), len(extra))
    return d
