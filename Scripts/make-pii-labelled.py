#!/usr/bin/env python3
"""Writes Corpus/pii/labelled.jsonl: real-shaped strings with the PII they hold, for
PIILabelledSetTests. Independent of the detector: values and their validity are computed
here (Luhn, ISO 13616 mod-97, SSA rules) from public format descriptions.

Each line: {"text": ..., "field": ..., "expect": [[TYPE, VALUE], ...], "note": ...}.
Positives: at least 300 per type in varied sentences, languages and punctuation. Near misses
(expect []): order numbers, dates, ZIP codes, timestamps, tracking ids, versions, prices,
ISBNs, IMEIs, MAC addresses, times, file names, handles, and numbers of a PII shape whose
check digit or number plan is wrong.

Usage: python3 Scripts/make-pii-labelled.py > Corpus/pii/labelled.jsonl
"""
import json
import random

R = random.Random(20261202)
out = []


def add(text, expect, note, field="text"):
    out.append({"text": text, "field": field, "expect": expect, "note": note})


def d(n):
    return "".join(str(R.randint(0, 9)) for _ in range(n))


# ---------------------------------------------------------------- e-mail
FIRST = ["ana", "bo", "chen", "dara", "emil", "fatima", "gus", "hana", "ivan", "jo", "kai", "lena", "mia", "nils", "olu", "priya",
         "quinn", "rosa", "sven", "tariq", "uma", "vik", "wen", "xia", "yusuf", "zoe"]
LAST = ["lima", "park", "okafor", "schmidt", "dubois", "garcia", "rossi", "tanaka", "nguyen", "kowalski", "smith", "jensen"]
DOMAINS = ["example.com", "example.org", "mail.example.net", "example.co.uk", "example.de", "example.io", "post.example.fr",
           "example.com.br", "uni-example.edu", "example.info"]


def email():
    f, l = R.choice(FIRST), R.choice(LAST)
    local = R.choice([f + "." + l, f + "_" + l, f[0] + l + str(R.randint(1, 99)), f + "+" + R.choice(["news", "shop", "x"]),
                      f.capitalize() + "." + l.capitalize(), f + l + d(2), f + "-" + l])
    return local + "@" + R.choice(DOMAINS)


EMAIL_T = ["Email me at {v}", "{v}", "Contact: {v}.", "(reply to {v})", "Schreib mir an {v}!", "cc: {v}, thanks",
           "From: Ana <{v}>", "mailto:{v}", "new address is {v} — update your list", "écris-moi : {v}",
           "Send the slides to {v}?", "\"{v}\""]
for _ in range(330):
    v = email()
    add(R.choice(EMAIL_T).format(v=v), [["EMAIL_ADDRESS", v]], "email")
for t in ["icon@2x.png", "avatar@3x.jpg", "logo@2x.webp", "thanks @{h} for the tip", "@{h}", "user@localhost", "root@server",
          "ana at example dot com", "user@@example.com", "@example.com", "a@b.c", "name@example.", "meet @ 5pm", "price@ 10 EUR",
          "foo@bar", "retina sprite sheet@2x.png"]:
    for _ in range(6):
        add(t.format(h=R.choice(FIRST) + d(2)), [], "email near miss")

# ---------------------------------------------------------------- phone


def nanp():
    return str(R.randint(2, 9)) + d(2), str(R.randint(2, 9)) + d(2), d(4)


PHONES = [
    lambda: "({}) {}-{}".format(*nanp()), lambda: "{}-{}-{}".format(*nanp()), lambda: "{}.{}.{}".format(*nanp()),
    lambda: "+1 {} {} {}".format(*nanp()), lambda: "+1-{}-{}-{}".format(*nanp()), lambda: "1-{}-{}-{}".format(*nanp()),
    lambda: "+44 20 7946 0" + d(3), lambda: "020 7946 0" + d(3), lambda: "07700 900" + d(3), lambda: "+44 7700 900" + d(3),
    lambda: "+44 (0)20 7946 0" + d(3),
    lambda: "+49 30 " + d(6), lambda: "030 " + d(7), lambda: "0171 " + d(7), lambda: "+49 171 " + d(7), lambda: "089/" + d(6),
    lambda: "+33 1 {} {} {} {}".format(d(2), d(2), d(2), d(2)), lambda: "01 {} {} {} {}".format(d(2), d(2), d(2), d(2)),
    lambda: "06 {} {} {} {}".format(d(2), d(2), d(2), d(2)),
    lambda: "+34 912 {} {}".format(d(3), d(3)), lambda: "6{} {} {}".format(d(2), d(3), d(3)), lambda: "91 {} {} {}".format(d(3), d(2), d(2)),
    lambda: "+39 06 {} {}".format(d(4), d(4)), lambda: "3{} {} {}".format(d(2), d(3), d(4)), lambda: "06 {} {}".format(d(4), d(4)),
    lambda: "+31 20 {} {}".format(d(3), d(4)), lambda: "06-" + d(8), lambda: "020-" + d(7),
    lambda: "+81 3-{}-{}".format(d(4), d(4)), lambda: "03-{}-{}".format(d(4), d(4)), lambda: "090-{}-{}".format(d(4), d(4)),
    lambda: "+61 2 {} {}".format(d(4), d(4)), lambda: "02 {} {}".format(d(4), d(4)), lambda: "04{} {} {}".format(d(2), d(3), d(3)),
    lambda: "+91 {}{} {}".format(R.randint(6, 9), d(4), d(5)), lambda: "{}{} {}".format(R.randint(6, 9), d(4), d(5)),
    lambda: "+86 13{} {} {}".format(d(1), d(4), d(4)), lambda: "13{} {} {}".format(d(1), d(4), d(4)),
    lambda: "+55 11 9{}-{}".format(d(4), d(4)), lambda: "(11) 9{}-{}".format(d(4), d(4)),
]
PHONE_T = ["Call me at {v}", "tel: {v}", "{v}", "Phone {v}.", "my number is {v}", "Ruf mich an: {v}", "appelle-moi au {v}",
           "WhatsApp {v}", "Mobile: {v} (evenings)", "reach the office on {v}, ext. 12", "llámame al {v}", "☎ {v}"]
for i in range(396):
    v = PHONES[i % len(PHONES)]()
    add(R.choice(PHONE_T).format(v=v), [["PHONE_NUMBER", v]], "phone")
PHONE_MISS = [
    lambda: "on " + R.choice(["2024-01-15", "2023-11-30", "1999-12-31"]), lambda: "am {:02d}.{:02d}.20{}".format(R.randint(1, 28), R.randint(1, 12), d(2)),
    lambda: "due {:02d}/{:02d}/2024".format(R.randint(1, 12), R.randint(1, 28)), lambda: "ZIP 9" + d(4), lambda: "ZIP 9{}-{}".format(d(4), d(4)),
    lambda: "SW1A 1AA", lambda: "10115 Berlin", lambda: "ts " + "17" + d(8), lambda: "ts " + "17" + d(11),
    lambda: "at 2024-01-15T{:02d}:{:02d}:00Z".format(R.randint(0, 23), R.randint(0, 59)), lambda: "{:02d}:{:02d}:{:02d}".format(R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)),
    lambda: "Order #1{}-{}-{}".format(d(2), d(7), d(7)), lambda: "order no. " + d(7), lambda: "Invoice INV-2024-" + d(5),
    lambda: "tracking 1Z999AA1" + d(10), lambda: "USPS 9400 1{} {} {} {} {}".format(d(3), d(4), d(4), d(4), d(2)),
    lambda: "€1.{},{}".format(d(3), d(2)), lambda: "${},{}.{}".format(d(2), d(3), d(2)), lambda: "from 20{}-20{}".format(d(2), d(2)),
    lambda: "ISBN 978-3-16-148410-0", lambda: "51.{}, -0.{}".format(d(4), d(4)), lambda: "population 8 336 817",
    lambda: "ref 020 7946 0" + d(3), lambda: "ticket 0171 " + d(7), lambda: "id " + "1" + d(18),
    lambda: "https://t.co/" + d(10), lambda: "case 415-555-0" + d(3), lambda: "v2.{}.{}".format(R.randint(0, 20), R.randint(0, 9)),
]
for i in range(232):
    add(PHONE_MISS[i % len(PHONE_MISS)](), [], "phone near miss")

# ---------------------------------------------------------------- cards


def luhn_complete(body):
    digits = [int(c) for c in body]
    total = 0
    for k, v in enumerate(reversed(digits)):
        if k % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return body + str((10 - total % 10) % 10)


def luhn_ok(n):
    total = 0
    for k, c in enumerate(reversed(n)):
        v = int(c)
        if k % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


ISSUERS = [("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("2720", 16), ("34", 15), ("37", 15), ("6011", 16), ("65", 16),
           ("3530", 16), ("3589", 16), ("36", 14), ("62", 16), ("4", 13)]


def card(valid=True, prefix=None, length=None):
    p, n = (prefix, length) if prefix else R.choice(ISSUERS)
    num = luhn_complete(p + d(n - len(p) - 1))
    if not valid:
        num = num[:-1] + str((int(num[-1]) + R.randint(1, 9)) % 10)
    return num


def group(num):
    n = len(num)
    style = R.choice(["plain", "space", "dash"])
    if style == "plain":
        return num
    sep = " " if style == "space" else "-"
    if n == 15:
        parts = [num[:4], num[4:10], num[10:]]
    elif n == 14:
        parts = [num[:4], num[4:10], num[10:]]
    else:
        parts = [num[i:i + 4] for i in range(0, n, 4)]
    return sep.join(parts)


CARD_T = ["Card: {v}", "paid with {v}", "{v}", "visa {v} exp 12/27", "Kreditkarte {v}", "charged to {v}.", "card number {v}",
          "use my card {v} for the booking deposit", "CC {v}", "carte bancaire : {v}", "payment method — {v}"]
for _ in range(330):
    v = group(card())
    add(R.choice(CARD_T).format(v=v), [["CREDIT_CARD", v]], "card")
CARD_MISS = [
    lambda: "Card: " + group(card(valid=False)), lambda: group(card(valid=False)),
    lambda: group(luhn_complete("1" + d(14))), lambda: group(luhn_complete("9" + d(14))),
    lambda: "order " + group(card()), lambda: "tracking " + luhn_complete("4" + d(14)), lambda: "invoice " + group(card()),
    lambda: "IMEI " + luhn_complete("35" + d(12)), lambda: "IMEI " + luhn_complete("86" + d(12)), lambda: "tweet " + "1" + d(18),
    lambda: "snowflake " + str(R.randint(6, 9)) + d(17), lambda: "ts 17" + d(11), lambda: "ISBN 978" + d(10),
    lambda: "ref " + luhn_complete("5" + d(14)), lambda: "https://example.com/item/" + luhn_complete("4" + d(14)),
    lambda: "?id=" + luhn_complete("4" + d(14)), lambda: "serial " + group(card()),
]
for i in range(170):
    add(CARD_MISS[i % len(CARD_MISS)](), [], "card near miss")

# ---------------------------------------------------------------- SSN


def ssn_parts(valid=True):
    if valid:
        while True:
            a, g, s = R.randint(1, 899), R.randint(1, 99), R.randint(1, 9999)
            if a != 666 and (a, g, s) not in [(78, 5, 1120), (219, 9, 9999), (123, 45, 6789)]:
                return a, g, s
    kind = R.randint(0, 5)
    a, g, s = R.randint(1, 665), R.randint(1, 99), R.randint(1, 9999)
    if kind == 0:
        a = 0
    elif kind == 1:
        a = 666
    elif kind == 2:
        a = R.randint(900, 999)
    elif kind == 3:
        g = 0
    elif kind == 4:
        s = 0
    else:
        a, g, s = 78, 5, 1120
    return a, g, s


def ssn(valid=True, sep="-"):
    a, g, s = ssn_parts(valid)
    return f"{a:03d}{sep}{g:02d}{sep}{s:04d}"


SSN_T = ["SSN: {v}", "{v}", "social security number {v}", "my SSN is {v}.", "ss# {v}", "Tax ID {v} on the W-2",
         "(SSN {v})", "employee {v} enrolled", "SSN {v}, DOB withheld"]
for i in range(300):
    v = ssn()
    add(R.choice(SSN_T).format(v=v), [["US_SSN", v]], "ssn")
for i in range(20):
    v = ssn(sep=" ")
    add("SSN " + v, [["US_SSN", v]], "ssn with spaces")
for i in range(20):
    v = ssn(sep="")
    add("social security number " + v, [["US_SSN", v]], "ssn in one block")
SSN_MISS = [lambda: "SSN: " + ssn(valid=False), lambda: ssn(valid=False), lambda: ssn(sep=" "), lambda: "order " + ssn(),
            lambda: "part no. " + ssn(), lambda: "ref " + ssn(), lambda: "ZIP 9{}-{}".format(d(4), d(4)), lambda: ssn(sep=""),
            lambda: "ticket " + ssn(), lambda: "2024-{:02d}-{:02d}".format(R.randint(1, 12), R.randint(1, 28))]
for i in range(150):
    add(SSN_MISS[i % len(SSN_MISS)](), [], "ssn near miss")

# ---------------------------------------------------------------- IBAN
IBAN_FORMS = {  # country: BBAN as (kind, count) runs: n digits, a capitals, c alphanumerics
    "DE": [("n", 18)], "GB": [("a", 4), ("n", 14)], "FR": [("n", 10), ("c", 11), ("n", 2)], "ES": [("n", 20)],
    "NL": [("a", 4), ("n", 10)], "IT": [("a", 1), ("n", 10), ("c", 12)], "BE": [("n", 12)], "AT": [("n", 16)],
    "CH": [("n", 5), ("c", 12)], "PL": [("n", 24)], "IE": [("a", 4), ("n", 14)], "PT": [("n", 21)], "SE": [("n", 20)],
    "NO": [("n", 11)], "DK": [("n", 14)],
}
CAPS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def bban(country):
    s = ""
    for kind, n in IBAN_FORMS[country]:
        for _ in range(n):
            s += str(R.randint(0, 9)) if kind == "n" else R.choice(CAPS) if kind == "a" else R.choice(CAPS + "0123456789")
    return s


def mod97(s):
    return int("".join(str(int(c, 36)) for c in s)) % 97


def iban(valid=True):
    c = R.choice(sorted(IBAN_FORMS))
    b = bban(c)
    check = 98 - mod97(b + c + "00")
    if not valid:
        check = (check - 2 + R.randint(1, 96)) % 97 + 2
    return c + f"{check:02d}" + b


def spaced(v):
    return " ".join(v[i:i + 4] for i in range(0, len(v), 4)) if R.random() < 0.6 else v


IBAN_T = ["IBAN: {v}", "please transfer to {v}", "{v}", "Konto {v}", "Bankverbindung: {v}.", "wire it to {v} (ref rent)",
          "IBAN {v} — BIC on request", "my account {v}"]
for _ in range(330):
    v = spaced(iban())
    add(R.choice(IBAN_T).format(v=v), [["IBAN", v]], "iban")
IBAN_MISS = [lambda: "IBAN: " + spaced(iban(valid=False)), lambda: spaced(iban(valid=False)),
             lambda: "IBAN " + iban()[:-1], lambda: "XX12 3456 7890 1234 5678 90", lambda: "BIC DEUTDEFF500",
             lambda: "SKU AB12CDEF3456", lambda: "part DE12A", lambda: "model GB22XYZ"]
for i in range(120):
    add(IBAN_MISS[i % len(IBAN_MISS)](), [], "iban near miss")

# ---------------------------------------------------------------- IP


def ipv4():
    first = R.choice([R.randint(11, 126), R.randint(128, 223), 192, 10, 172])
    return ".".join([str(first)] + [str(R.randint(0, 255)) for _ in range(3)])


def ipv6():
    groups = [format(R.randint(0, 0xFFFF), "x") for _ in range(8)]
    kind = R.randint(0, 3)
    if kind == 0:
        return ":".join(groups)
    if kind == 1:
        return "2001:db8::" + ":".join(groups[:3])
    if kind == 2:
        return "fe80::" + ":".join(groups[:4])
    return "::ffff:" + ipv4()


IP_T = ["login from {v}", "IP: {v}", "{v}", "server {v} is down", "connected to {v}:8080", "client address {v}",
        "blocked {v} after 5 tries", "DNS {v}", "host [{v}]"]
for i in range(330):
    v = ipv4() if i % 3 else ipv6()
    t = R.choice(IP_T)
    if ":" in v and "{v}:8080" in t:
        t = "host [{v}]:8080"
    add(t.format(v=v), [["IP_ADDRESS", v]], "ip")
IP_MISS = [lambda: "version {}.{}.{}.{}".format(R.randint(1, 20), R.randint(0, 9), R.randint(0, 9), R.randint(0, 99)),
           lambda: "{}.{}.{}.{}".format(R.randint(1, 9), R.randint(0, 9), R.randint(0, 9), R.randint(0, 9)),
           lambda: "OID 1.3.6.1.4.1." + d(3), lambda: "{}.{}.1.1".format(R.randint(256, 999), R.randint(0, 255)),
           lambda: "{:02d}:{:02d}:{:02d}".format(R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)),
           lambda: "MAC " + ":".join(format(R.randint(0, 255), "02X") for _ in range(6)), lambda: "std::vector<int>",
           lambda: "2024.{:02d}.{:02d}".format(R.randint(1, 12), R.randint(1, 28)), lambda: "§ 3.2.1.4",
           lambda: "build 10.0.19045.3803", lambda: "at 12:34", lambda: "ratio 16:9:4"]
for i in range(132):
    add(IP_MISS[i % len(IP_MISS)](), [], "ip near miss")

for line in out:
    print(json.dumps(line, ensure_ascii=False, sort_keys=True))
