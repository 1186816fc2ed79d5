"""docs/SPEC.md sections 5.8 and 8 from the document alone: vCard contacts, iCalendar events
(UTC, zoned through the system's IANA zones, floating, dates) and My Activity HTML pages."""
import datetime, html, re
from spec_text import clean, standardize
from spec_times import _instant, offset_text, TimeError, MONTHS

try:
    import zoneinfo
except ImportError:  # Python 3.8: zoned times read as floating
    zoneinfo = None


def content_lines(text):
    """Unfolded `NAME;PARAM=v:VALUE` lines as (NAME, {PARAM: [values]}, value)."""
    text = re.sub(r"\r+\n", "\n", text).replace("\r", "\n")
    text = re.sub(r"\n[ \t]", "", text)
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        name_params, value, quoted, i = "", "", False, 0
        for i, c in enumerate(line):
            if c == '"':
                quoted = not quoted
            elif c == ":" and not quoted:
                name_params, value = line[:i], line[i + 1:]
                break
        else:
            continue
        pieces = re.findall(r'(?:[^;"]|"[^"]*")+', name_params)
        params = {}
        for p in pieces[1:]:
            k, eq, v = p.partition("=")
            if not eq:  # vCard 2.1's bare parameters (`TEL;CELL;PREF:`) are types
                k, v = "TYPE", k
            params.setdefault(k.upper(), []).extend(x.strip('"') for x in re.findall(r'(?:[^,"]|"[^"]*")+', v))
        out.append((pieces[0].split(".")[-1].upper(), params, value))  # a group prefix (`item1.`) is ignored
    return out


def unescape(v):
    return re.sub(r"\\([nN,;\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), v)


def components(lines, kind):
    """The property lists of every `kind` component (nested ones skipped)."""
    out, current, depth = [], None, 0
    for name, params, value in lines:
        if name == "BEGIN" and value.upper() == kind and current is None:
            current, depth = [], 0
        elif name == "BEGIN" and current is not None:
            depth += 1
        elif name == "END" and current is not None:
            if depth == 0 and value.upper() == kind:
                out.append(current)
                current = None
            else:
                depth -= 1
        elif current is not None and depth == 0:
            current.append((name, params, value))
    return out


def contacts(text, record, takeout):
    out = []
    for index, props in enumerate(components(content_lines(text), "VCARD")):
        data = {}
        for name, params, value in props:
            types = [t.lower() for t in params.get("TYPE", [])]
            if name == "FN":
                data.setdefault("formatted_name", unescape(value))
            elif name == "N":
                parts = (re.split(r"(?<!\\);", value) + [""] * 5)[:5]
                data["name"] = dict(zip(["family", "given", "additional", "prefix", "suffix"], map(unescape, parts)))
            elif name in ("EMAIL", "TEL", "ADR"):
                key = {"EMAIL": "emails", "TEL": "phones", "ADR": "addresses"}[name]
                data.setdefault(key, []).append({"value": unescape(value), "types": types})
            elif name in ("ORG", "BDAY", "NOTE", "UID", "VERSION"):
                data[{"ORG": "organization", "BDAY": "birthday", "NOTE": "note", "UID": "uid",
                      "VERSION": "version"}[name]] = unescape(value)
            elif name == "CATEGORIES":
                data.setdefault("categories", []).extend(unescape(v) for v in re.split(r"(?<!\\),", value))
        data = standardize(data) or {}
        out.append((index, record("contact", "contact", data, None, "google-takeout" if takeout else "generic")))
    return out


def event_time(params, value):
    """Section 8's VEVENT times: (instant, source offset, {"at","kind","tzid"})."""
    if params.get("VALUE", [""])[0].upper() == "DATE" or re.match(r"^\d{8}$", value):
        y, mo, d = int(value[:4]), int(value[4:6]), int(value[6:8])
        ms = _instant(y, mo, d, 0, 0, 0, 0, 0)
        return ms, None, "date", None
    m = re.match(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$", value)
    if not m:
        raise TimeError("not an iCalendar time: %r" % value)
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    if m.group(7):
        return _instant(y, mo, d, h, mi, s, 0, 0), "+00:00", "utc", None
    tzid = params.get("TZID", [None])[0]
    zone = None
    if tzid and zoneinfo:
        parts = tzid.strip("/").split("/")
        for candidate in [tzid] + ["/".join(parts[-n:]) for n in (3, 2)]:
            try:
                zone = zoneinfo.ZoneInfo(candidate)
                break
            except Exception:
                continue
    if zone is None:
        return _instant(y, mo, d, h, mi, s, 0, 0), None, "floating", tzid
    local = datetime.datetime(y, mo, d, h, mi, s, tzinfo=zone)
    off = int(local.utcoffset().total_seconds() // 60)
    return _instant(y, mo, d, h, mi, s, 0, off), offset_text(off), "zoned", tzid


def events(text, record, takeout):
    out = []
    for index, props in enumerate(components(content_lines(text), "VEVENT")):
        data, when = {}, None
        for name, params, value in props:
            if name in ("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "STATUS") and name.lower() not in data:
                data[name.lower()] = unescape(value)
            elif name == "RRULE":
                data["recurrence"] = value
            elif name == "ORGANIZER":
                data["organizer"] = re.sub(r"^mailto:", "", value, flags=re.I)
            elif name == "ATTENDEE":
                data.setdefault("attendees", []).append(re.sub(r"^mailto:", "", value, flags=re.I))
            elif name in ("DTSTART", "DTEND") and name[2:].lower() not in data:
                ms, off, kind, tzid = event_time(params, value)
                data[name[2:].lower()] = {"at": _fmt(ms), "kind": kind, "tzid": tzid}
                if name == "DTSTART":
                    when = (ms, off)
        out.append((index, record("calendar_event", "calendar", standardize(data) or {}, when,
                                  "google-takeout" if takeout else "generic")))
    return out


def _fmt(ms):
    from spec_times import fmt_ms
    return fmt_ms(ms)


ZONE_ABBREVIATIONS = {"UTC": 0, "GMT": 0, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "WET": 0, "WEST": 60,
                      "BST": 60, "IST": 330, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420,
                      "MDT": -360, "PST": -480, "PDT": -420, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660}
TAKEOUT_TIME = re.compile(r"^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}), (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)(?: ([A-Z]{2,5}))?$")


def takeout_time(line):
    """Section 8's legacy Takeout HTML time: `Mmm D, YYYY, H:MM:SS AM|PM[ ZONE]`."""
    m = TAKEOUT_TIME.match(re.sub(r"[\u00a0\u202f]", " ", line).strip())
    if not m or m.group(1) not in MONTHS:
        return None
    h = int(m.group(4)) % 12 + (12 if m.group(7) == "PM" else 0)
    zone = m.group(8)
    if zone and zone not in ZONE_ABBREVIATIONS:
        return None
    off = ZONE_ABBREVIATIONS.get(zone, 0) if zone else 0
    try:
        ms = _instant(int(m.group(3)), MONTHS.index(m.group(1)) + 1, int(m.group(2)), h, int(m.group(5)),
                      int(m.group(6)), 0, off)
    except TimeError:
        return None
    return ms, offset_text(off)


def cell_lines(fragment):
    parts = re.split(r"<br\s*/?>", fragment, flags=re.I)
    out = []
    for p in parts:
        links = re.findall(r'<a[^>]*href="([^"]*)"[^>]*>(.*?)</a>', p, flags=re.S | re.I)
        t = html.unescape(re.sub(r"<[^>]*>", "", p)).replace("\u00a0", " ").replace("\u2003", " ")
        t = re.sub(r"\s+", " ", t).strip()
        if t:
            out.append((t, [(html.unescape(re.sub(r"<[^>]*>", "", x)).strip(), html.unescape(u)) for u, x in links]))
    return out


def activity_html(path, text, record):
    parts = path.split("/")
    json_name = re.sub(r"\.html$", ".json", parts[-1])
    if json_name not in ("MyActivity.json", "My Activity.json", "MeineAktivitäten.json", "Meine Aktivitäten.json") and not any(
            f in ("My Activity", "Meine Aktivitäten") for f in parts[:-1]):
        return []
    out = []
    cells = re.split(r'<div class="outer-cell', text)[1:]
    for index, cell in enumerate(cells):
        data = {}
        header = re.search(r'<p class="mdl-typography--title">(.*?)</p>', cell, re.S)
        if header:
            data["header"] = html.unescape(re.sub(r"<[^>]*>", "", header.group(1)))
        body = re.search(r'<div class="content-cell[^"]*mdl-typography--body-1[^"]*">(.*?)</div>', cell, re.S)
        lines = cell_lines(body.group(1)) if body else []
        when = None
        links = [l for _, ls in lines for l in ls]
        if lines:
            data["title"] = lines[0][0]
        if links:
            data["title_url"] = links[0][1]
            data["links"] = [{"text": t, "url": u} for t, u in links]
        for t, _ in reversed(lines):
            when = takeout_time(t)
            if when:
                data["time_text"] = t
                data["time_source"] = "html"
                break
        caption = re.search(r'<div class="content-cell[^"]*mdl-typography--caption[^"]*">(.*?)</div>', cell, re.S)
        if caption:
            for label, key in (("Products", "products"), ("Details", "details"), ("Locations", "locations")):
                m = re.search(r"<b>%s:</b>(.*?)(?:<b>|$)" % label, caption.group(1), re.S)
                if m:
                    items = [clean(html.unescape(re.sub(r"<[^>]*>", "", x))) for x in re.split(r"<br\s*/?>", m.group(1))]
                    data[key] = [x for x in items if x]
        out.append((index, record("activity", "activity", standardize(data) or {}, when, "google-takeout")))
    return out
