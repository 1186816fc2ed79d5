#!/usr/bin/env python3
"""Writes a Takeout part whose Gmail mbox is about SIZE bytes (never more), streamed into a zip64
entry (deflate level 1), for the huge-mbox ingest benchmark (Scripts/bench-ingest.sh SIZE N mbox).
Messages mix plain text, quoted-printable, base64 HTML-only mails with RFC 2047 subjects, and
multipart mails with a base64 attachment, Gmail headers included. Deterministic.
    python3 Scripts/make-single-mbox.py 10GB out.zip
"""
import base64, quopri, sys, zipfile
from benchsize import parse

target, out = parse(sys.argv[1]), sys.argv[2]
sentences = ["Finally finished the book I started last summer.", "Der Zug hatte wieder Verspätung, aber der Kaffee war gut.",
             "今日は市場で新鮮な果物を買いました。", "Llovió todo el día, perfecto para leer en casa.",
             "Quelqu'un connaît une bonne boulangerie près de la gare ?"]
names = ["Ana", "Søren", "Wei", "Yuki", "Łukasz", "Siobhán"]
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
attachment = base64.encodebytes(bytes(range(256)) * 12).decode()

def message(n):
    s = sentences[n % 5]
    body = "\n".join(f"{s} ({n}.{i})" for i in range(1 + n % 9))
    name = names[n % 6]
    date = "%s, %d %s 20%02d %02d:%02d:%02d +0%d00" % (days[n % 7], 1 + n % 28, months[n % 12], 10 + n % 14, n % 24, n % 60, (n * 7) % 60, n % 3)
    env = "%s %s %2d %02d:%02d:%02d +0000 20%02d" % (days[n % 7], months[n % 12], 1 + n % 28, n % 24, n % 60, (n * 7) % 60, 10 + n % 14)
    head = (f"From {1600000000000000000 + n}@xxx {env}\nX-GM-THRID: {1700000000000000000 + n // 3}\n"
            f"X-Gmail-Labels: Inbox,Opened,Category Personal\nFrom: {name} <user{n % 997}@example.org>\n"
            f"To: owner@example.com, \"Doe, Jane\" <jane{n % 31}@example.net>\nDate: {date}\nMessage-ID: <{n}@mail.example.org>\n")
    kind = n % 4
    if kind == 0:
        return head + f"Subject: {s[:30]}\nContent-Type: text/plain; charset=utf-8\n\n{body}\nFrom the desk of {name}\n\n"
    if kind == 1:
        qp = quopri.encodestring(body.encode("utf-8")).decode()
        return head + f"Subject: =?UTF-8?B?{base64.b64encode(s[:30].encode()).decode()}?=\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n{qp}\n\n"
    if kind == 2:
        html = base64.encodebytes(f"<html><body><p>{body}</p><p>&amp; more</p></body></html>".encode()).decode()
        return head + f"Subject: html {n}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n{html}\n"
    return (head + f"Subject: files {n}\nContent-Type: multipart/mixed; boundary=b{n}\n\n--b{n}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
            f"--b{n}\nContent-Type: application/octet-stream; name=data{n}.bin\nContent-Disposition: attachment; filename=data{n}.bin\n"
            f"Content-Transfer-Encoding: base64\n\n{attachment}--b{n}--\n\n")

written, n = 0, 0
with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    info = zipfile.ZipInfo("Takeout/Mail/All mail Including Spam and Trash.mbox", (2024, 6, 1, 12, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as f:
        buf = []
        while True:
            data = message(n).encode("utf-8")
            if written + len(data) > target:
                break
            buf.append(data)
            written += len(data)
            n += 1
            if len(buf) >= 2048:
                f.write(b"".join(buf))
                buf = []
        f.write(b"".join(buf))
print(f"{n} messages, {written} bytes of mbox", file=sys.stderr)
