"""docs/SPEC.md sections 5.1, 5.5 and 5.8 from the document alone: mbox and single messages,
CSV files, vCard, iCalendar and My Activity HTML."""
import csv, email, email.header, email.policy, html, io, re, unicodedata
from spec_text import clean, standardize, nfc, html_text
from spec_times import rfc2822, asctime, iso, TimeError
import spec_calendar

FROM_LINE = re.compile(rb"^From (\S+) (.+?)\r?$")
MAIL_HEADERS = {"received", "from", "date", "message-id", "to", "subject", "return-path", "mime-version"}


def from_line(line):
    m = FROM_LINE.match(line)
    if not m:
        return None
    try:
        return m.group(1).decode("utf-8", "replace"), asctime(m.group(2).decode("ascii", "replace"))
    except (TimeError, ValueError):
        return None


def mbox_messages(raw):
    """Section 8's mbox: a message starts at a `From ` line whose date parses."""
    lines = raw.split(b"\n")
    if not from_line(lines[0]):
        raise ValueError("mbox.no_from_line")
    messages, current, envelope = [], None, None
    for line in lines:
        parsed = from_line(line) if line.startswith(b"From ") else None
        if parsed:
            if current is not None:
                if current and current[-1] in (b"", b"\r"):
                    current.pop()
                messages.append((envelope, current))
            current, envelope = [], parsed
            continue
        if re.match(rb"^>+From ", line):
            line = line[1:]
        current.append(line)
    if current is not None:
        while current and current[-1] in (b"", b"\r"):
            current.pop()
        messages.append((envelope, current))
    return [(env, b"\n".join(body) + b"\n") for env, body in messages]


LABELS = {"gb2312": "gbk", "iso-8859-1": "windows-1252", "latin1": "windows-1252", "ks_c_5601-1987": "cp949"}


def decode(raw, charset):
    """Section 5.1's charsets: well-formed multi-byte UTF-8 wins over the label; labels as mail
    readers take them; an unknown charset reads as UTF-8."""
    try:
        text = raw.decode("utf-8")
        if any(b >= 0x80 for b in raw):
            return text
    except UnicodeDecodeError:
        pass
    label = (charset or "utf-8").lower()
    try:
        return raw.decode(LABELS.get(label, label), "replace")
    except LookupError:
        return raw.decode("utf-8", "replace")


def decoded_header(value):
    """RFC 2047 words decoded; raw 8-bit bytes (kept by the parser as surrogate escapes) read
    like a part's text."""
    parts = []
    for text, charset in email.header.decode_header(value):
        if isinstance(text, bytes):
            parts.append(decode(text, charset))
        else:
            parts.append(text)
    return "".join(parts)


def raw_headers(raw):
    """The header block's fields, unfolded, each value's bytes read as text (name lower-cased:
    [values in order])."""
    block = re.split(rb"\r?\n\r?\n", raw, 1)[0]
    block = re.sub(rb"\r?\n[ \t]", b" ", block)
    out = {}
    for line in block.split(b"\n"):
        name, sep, value = line.partition(b":")
        if sep and name and b" " not in name:
            out.setdefault(name.decode("ascii", "replace").lower(), []).append(decode(value.strip(b" \t\r"), None))
    return out


def message_record(envelope, raw, record, takeout):
    """Section 5.1's `email` record; only what the shape level shows is computed in full."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    headers = raw_headers(raw)
    data = {}
    for key, header in (("from", "From"), ("sender", "Sender"), ("reply_to", "Reply-To"), ("to", "To"),
                        ("cc", "Cc"), ("bcc", "Bcc"), ("subject", "Subject"), ("date", "Date"),
                        ("message_id", "Message-ID"), ("in_reply_to", "In-Reply-To"), ("thread_id", "X-GM-THRID")):
        v = headers.get(header.lower(), [None])[0]
        if v is not None:
            v = clean(decoded_header(v))
            if v:
                data[key] = v
    labels = headers.get("x-gmail-labels", [None])[0]
    if labels is not None:
        ls = [clean(l) for l in str(labels).split(",")]
        ls = [l for l in ls if l]
        if ls:
            data["labels"] = ls
    text, source, attachments, first = "", "none", [], {}
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        named = part.get_filename() or part.get_param("name")
        payload = part.get_payload(decode=True) or b""
        if not named and ctype in ("text/plain", "text/html") and ctype not in first:
            first[ctype] = decode(payload, part.get_content_charset())
            continue
        a = {"content_type": ctype, "size": len(payload)}
        if named and clean(named):
            a["filename"] = clean(named)
        attachments.append(a)
    if "text/plain" in first:
        text, source = first["text/plain"], "text/plain"
    elif "text/html" in first:
        text, source = html_text(first["text/html"]), "text/html"
    if clean(text):
        data["text"] = clean(text)
    data["text_source"] = source
    if attachments:
        data["attachments"] = attachments
    when = None
    if envelope:
        data["envelope_sender"] = envelope[0]
    if headers.get("date"):
        try:
            when = rfc2822(headers["date"][0])
            data["time_source"] = "date_header"
        except TimeError:
            when = None
    if when is None and envelope:
        when = envelope[1]
        data["time_source"] = "envelope"
    return record("email", "communication", data, when, "google-takeout" if takeout else "mail")


def looks_like_message(raw):
    names = set()
    for line in raw[:4096].split(b"\n")[:20]:
        m = re.match(rb"^([A-Za-z-]+):", line)
        if m:
            names.add(m.group(1).decode().lower())
    return len(names & MAIL_HEADERS) >= 3


def csv_name(header, position, taken):
    s = nfc(header).lower()
    s = "".join("_" if c.isspace() else c for c in s)
    s = "".join(c for c in s if c.isalpha() or c.isdigit() or c == "_")
    s = re.sub("_+", "_", s).strip("_") or "column_%d" % position
    name, n = s, 2
    while name in taken:
        name, n = "%s_%d" % (s, n), n + 1
    taken.add(name)
    return name


def cell_type(cell):
    if re.match(r"^[+-]?(0|[1-9]\d*)$", cell):
        return "integer"
    if re.match(r"^[+-]?(0|[1-9]\d{0,2}(,\d{3})*|[1-9]\d*)\.\d+$", cell) or re.match(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$", cell):
        return "decimal"
    if cell.lower() in ("true", "false"):
        return "boolean"
    if not cell.isdigit():
        for parse in (iso, rfc2822, asctime):
            try:
                parse(cell)
                return "timestamp"
            except (TimeError, ValueError):
                pass
    return "string"


def column_type(cells):
    counted = [c.strip(" \t") for c in cells if c.strip(" \t")]
    for t in ("integer", "decimal", "boolean", "timestamp"):
        ok = sum(1 for c in counted if cell_type(c) == t or (t == "decimal" and cell_type(c) == "integer"))
        if counted and ok >= 0.95 * len(counted):
            return t
    return "string"


def csv_records(path, text, record, takeout):
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    if not rows:
        return []
    taken = set()
    names = [csv_name(h, i + 1, taken) for i, h in enumerate(rows[0])]
    body = rows[1:]
    types = [column_type([r[i] for r in body[:1000] if i < len(r)]) for i in range(len(names))]
    kind = "subscription" if path.rsplit("/", 1)[-1] == "subscriptions.csv" else "generic"
    out = []
    for index, row in enumerate(body):
        data = {}
        for i, cell in enumerate(row):
            name = names[i] if i < len(names) else "column_%d" % (i + 1)
            t = types[i] if i < len(names) else "string"
            c = cell.strip(" \t")
            if not c:
                continue
            if t in ("integer", "decimal") and cell_type(c) in ("integer", "decimal"):
                data[name] = float(c.replace(",", "")) if t == "decimal" else int(c)
            elif t == "boolean" and cell_type(c) == "boolean":
                data[name] = c.lower() == "true"
            else:
                v = clean(cell)
                if v:
                    data[name] = v
        category = "social" if kind == "subscription" else "other"
        out.append((index, record(kind, category, data, None, "google-takeout" if takeout else "generic")))
    return out


def records_of(path, raw, text_of, record, takeout):
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".mbox"):
        return [(i, message_record(env, body, record, takeout)) for i, (env, body) in enumerate(mbox_messages(raw))]
    if name.endswith(".eml") or ("." not in name and looks_like_message(raw)):
        env = from_line(raw.split(b"\n", 1)[0]) if raw.startswith(b"From ") else None
        body = raw.split(b"\n", 1)[1] if env else raw
        return [(0, message_record(env, body, record, takeout))]
    if name.endswith(".csv"):
        return csv_records(path, text_of(raw), record, takeout)
    if name.endswith(".vcf"):
        return spec_calendar.contacts(text_of(raw), record, takeout)
    if name.endswith(".ics"):
        return spec_calendar.events(text_of(raw), record, takeout)
    if name.endswith(".html"):
        return spec_calendar.activity_html(path, text_of(raw), record)
    return []
