"""docs/SPEC.md sections 1, 5.2 and 5.3 from the document alone: canonical JSON, text
cleansing, snake_case keys, empty-value omission and flattening."""
import html.entities, json, re, unicodedata


def nfc(s):
    return unicodedata.normalize("NFC", s)


def canonical(v):
    """Section 1: keys sorted by code point after NFC, minimal escapes with lowercase hex."""
    if isinstance(v, dict):
        members = {}
        for k, x in v.items():
            members[nfc(k)] = x
        return "{" + ",".join(canonical(k) + ":" + canonical(members[k]) for k in sorted(members)) + "}"
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, str):
        out = []
        for c in nfc(v):
            o = ord(c)
            if c == '"':
                out.append('\\"')
            elif c == "\\":
                out.append("\\\\")
            elif o < 0x20:
                out.append({8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t"}.get(o, "\\u%04x" % o))
            else:
                out.append(c)
        return '"' + "".join(out) + '"'
    return json.dumps(v)


def clean(s):
    """Section 5.2: controls out (but LF and TAB; CR LF and CR become LF), NFC, White_Space trimmed."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = "".join(c for c in s if c in "\n\t" or unicodedata.category(c) != "Cc")
    return nfc(s).strip()


def _is_upper(c):
    return c.lower() != c


def _is_lower(c):
    return unicodedata.category(c) == "Ll"


def _keep(c):
    return c.isalpha() or c.isnumeric() or unicodedata.category(c) in ("Mn", "Mc", "Me")


def snake(key):
    """Section 5.2's snake_case keys (version 2)."""
    key = nfc(key)
    out = []
    for i, c in enumerate(key):
        if i > 0 and _is_upper(c):
            prev = key[i - 1]
            nxt = key[i + 1] if i + 1 < len(key) else ""
            if _is_lower(prev) or prev.isnumeric() or (_is_upper(prev) and nxt and _is_lower(nxt)):
                out.append("_")
        out.append(c)
    lowered = "".join(out).lower()
    s = "".join(c if _keep(c) or c == "_" else "_" for c in lowered)
    while "__" in s:
        s = s.replace("__", "_")
    s = s.strip("_")
    if s and s[0].isnumeric():
        s = "_" + s
    return nfc(s or "_")


def snake_keys(v):
    """Every key converted, recursively; a name taken in one object gets `_2`, `_3`, …."""
    if isinstance(v, list):
        return [snake_keys(x) for x in v]
    if not isinstance(v, dict):
        return v
    out = {}
    for k, x in v.items():
        name = snake(k)
        if name in out:
            n = 2
            while "%s_%d" % (name, n) in out:
                n += 1
            name = "%s_%d" % (name, n)
        out[name] = snake_keys(x)
    return out


def standardize(v):
    """Section 5.3 steps 3 and 4: strings cleansed; null, "", and containers empty after
    pruning omitted; array elements that empty become null; an all-null array is omitted."""
    if isinstance(v, str):
        v = clean(v)
        return v if v else None
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            y = standardize(x)
            if y is not None:
                out[k] = y
        return out or None
    if isinstance(v, list):
        out = [standardize(x) for x in v]
        return out if any(x is not None for x in out) else None
    return v


def flatten(obj, prefix="", depth=1):
    """Section 5.3's flattening of generic records: nested objects' members joined with `.`."""
    out = {}
    for k, x in obj.items():
        name = prefix + k
        if isinstance(x, dict):
            if depth + 1 >= 11:
                out[name] = canonical(x)
            else:
                out.update(flatten(x, name + ".", depth + 1))
        elif isinstance(x, list):
            out[name] = [flatten(e, "", depth + 2) if isinstance(e, dict) else e for e in x]
        else:
            out[name] = x
    return out


def unescape(text):
    """Section 8's character references: every HTML5 name written with `;`, decimal and hex
    numbers (zero, surrogates and values past U+10FFFF become U+FFFD); anything else as written."""
    def one(m):
        name = m.group(1)
        if name.startswith("#"):
            try:
                v = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
            except ValueError:
                return m.group(0)
            return chr(v) if 0 < v <= 0x10FFFF and not 0xD800 <= v <= 0xDFFF else "\ufffd"
        return html.entities.html5.get(name + ";", m.group(0))
    return re.sub(r"&([^&;]{1,31});", one, text)


BLOCK = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "hr"}


def html_text(page):
    """Section 8's HTML reduced to text: script and style contents and comments dropped, a line
    broken at every start or end tag of a block element, each line's space, tab, CR, LF and
    NBSP runs collapsed to one space and trimmed, the non-empty lines joined with LF."""
    page = re.sub(r"<!--.*?(-->|$)", "", page, flags=re.S)
    page = re.sub(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", "", page, flags=re.S | re.I)
    lines, current = [], []
    for piece in re.split(r"(<[^>]*>)", page):
        if piece.startswith("<") and piece.endswith(">"):
            m = re.match(r"</?([A-Za-z][^\s/>]*)", piece)
            if m and m.group(1).lower() in BLOCK:
                lines.append("".join(current))
                current = []
            continue
        current.append(unescape(piece))
    lines.append("".join(current))
    out = [" ".join(re.split(r"[ \t\r\n\u00a0]+", l)).strip(" ") for l in lines]
    return "\n".join(l for l in out if l)
