"""docs/SPEC.md's times (sections 3, 5, 5.2 and 8) from the document alone. A time is
(Unix milliseconds, source offset text or None)."""
import calendar, re

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class TimeError(ValueError):
    pass


def fmt_ms(ms):
    """Section 3: `YYYY-MM-DDTHH:MM:SS.mmmZ`, or None."""
    if ms is None:
        return None
    secs, milli = divmod(ms, 1000)
    days, rest = divmod(secs, 86400)
    y, m, d = _civil(days)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (y, m, d, rest // 3600, rest // 60 % 60, rest % 60, milli)


def _civil(days):
    import datetime
    d = datetime.date(1970, 1, 1) + datetime.timedelta(days=days)
    return d.year, d.month, d.day


def offset_text(minutes):
    sign = "-" if minutes < 0 else "+"
    return "%s%02d:%02d" % (sign, abs(minutes) // 60, abs(minutes) % 60)


def _instant(y, mo, d, h, mi, s, ms, offset_minutes):
    if not (1 <= y <= 9999 and 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]):
        raise TimeError("impossible date")
    if h > 23 or mi > 59 or s > 59:
        raise TimeError("impossible time")
    days = (__import__("datetime").date(y, mo, d) - __import__("datetime").date(1970, 1, 1)).days
    return ((days * 86400 + h * 3600 + mi * 60 + s) * 1000 + ms) - offset_minutes * 60000


ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$")


def iso(text):
    """Section 5.2's ISO-8601: fraction past milliseconds truncated, offsets up to ±18:00."""
    m = ISO.match(text)
    if not m:
        raise TimeError("not ISO-8601: %r" % text)
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    ms = int((m.group(7) or "0")[:3].ljust(3, "0"))
    if m.group(8):
        off = 0
    else:
        off = int(m.group(10)) * 60 + int(m.group(11))
        if off > 18 * 60 or int(m.group(11)) > 59:
            raise TimeError("offset")
        off = -off if m.group(9) == "-" else off
    return _instant(y, mo, d, h, mi, s, ms, off), offset_text(off)


def _numeric_offset(z):
    sign = -1 if z[0] == "-" else 1
    hh, mm = int(z[1:3]), int(z[3:5])
    if hh > 23 or mm > 59:
        raise TimeError("offset")
    return sign * (hh * 60 + mm)


def twitter_time(text):
    """Section 5: `Www Mmm DD HH:MM:SS ±HHMM YYYY`."""
    p = text.split(" ")
    if len(p) != 6 or p[0] not in DAYS or p[1] not in MONTHS or not re.match(r"^[+-]\d{4}$", p[4]):
        raise TimeError("not a Twitter time: %r" % text)
    h, mi, s = (int(x) for x in p[3].split(":"))
    off = _numeric_offset(p[4])
    return _instant(int(p[5]), MONTHS.index(p[1]) + 1, int(p[2]), h, mi, s, 0, off), offset_text(off)


def epoch(text, unit=None):
    """Section 8's epochs: the unit from the integer digits unless given; floored to ms."""
    m = re.match(r"^(-?)(\d+)(?:\.(\d+))?$", str(text))
    if not m:
        raise TimeError("not an epoch: %r" % text)
    digits = len(m.group(2).lstrip("0")) or 1
    if unit is None:
        unit = "s" if digits <= 11 else "ms" if digits <= 14 else "us" if digits <= 17 else "ns" if digits <= 19 else None
        if unit is None:
            raise TimeError("epoch too long")
    scale = {"s": 1000, "ms": 1, "us": 0.001, "ns": 0.000001}[unit]
    from fractions import Fraction
    value = Fraction(m.group(2) + "." + (m.group(3) or "0")) if m.group(3) else Fraction(int(m.group(2)))
    if m.group(1):
        value = -value
    ms = value * Fraction(scale).limit_denominator(10 ** 9)
    return int(ms // 1), None


ZONES = {"UT": 0, "GMT": 0, "Z": 0, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
         "MST": -420, "MDT": -360, "PST": -480, "PDT": -420}


def rfc2822(text):
    """Section 8: `[Www, ]D Mmm YYYY HH:MM[:SS] zone [(comment)]`; `-0000` has no offset."""
    t = re.sub(r"\([^)]*\)\s*$", "", text).strip()
    m = re.match(r"^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(\S+)$", t)
    if not m or m.group(2).title() not in MONTHS:
        raise TimeError("not RFC 2822: %r" % text)
    y = int(m.group(3))
    if len(m.group(3)) == 2:
        y += 2000 if y < 50 else 1900
    z = m.group(7)
    if re.match(r"^[+-]\d{4}$", z):
        off = _numeric_offset(z)
        shown = None if z == "-0000" else offset_text(off)
    elif z.upper() in ZONES:
        off = ZONES[z.upper()]
        shown = offset_text(off)
    else:
        raise TimeError("zone %r" % z)
    ms = _instant(y, MONTHS.index(m.group(2).title()) + 1, int(m.group(1)), int(m.group(4)), int(m.group(5)),
                  int(m.group(6) or 0), 0, off)
    return ms, shown


def asctime(text):
    """Section 8: mbox `From ` dates, `Www Mmm [D]D HH:MM:SS YYYY` (UTC, no offset), or Twitter's form."""
    p = text.split()
    if len(p) == 6:
        ms, _ = twitter_time(" ".join(p))
        return ms, None
    if len(p) != 5 or p[0] not in DAYS or p[1] not in MONTHS:
        raise TimeError("not asctime: %r" % text)
    h, mi, s = (int(x) for x in p[3].split(":"))
    return _instant(int(p[4]), MONTHS.index(p[1]) + 1, int(p[2]), h, mi, s, 0, 0), None
