#!/usr/bin/env python3
"""An independent implementation of docs/SPEC.md, written from the document alone (no look at
the Swift sources), for the `shape` conformance level: records, source positions, category,
user, occurred_at, source_offset and the keys of `data` (snake_case, empty values omitted).
It covers Twitter/X archives and Google Takeout (sections 3, 5, 5.1-5.8, 7, 8). Python 3.9+
standard library only; it is the evidence that SPEC is enough (issue 17).
    from_spec.py INPUT_DIR OUTPUT.ndjson"""
import io, json, os, sys, tarfile, zipfile
from spec_text import clean, standardize, snake_keys, flatten, canonical, unescape
from spec_times import fmt_ms, iso, twitter_time, epoch, TimeError
import spec_takeout

MAX_SNOWFLAKE_OLD = 29700859247


def entries_of(path):
    """(entry path, bytes) for an archive or a folder (section 7: a folder reads like an archive)."""
    out = []
    if os.path.isdir(path):
        for root, dirs, files in os.walk(path):
            for f in files:
                full = os.path.join(root, f)
                with open(full, "rb") as h:
                    out.append((os.path.relpath(full, path).replace(os.sep, "/"), h.read()))
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            out = [(i.filename, z.read(i)) for i in z.infolist() if not i.is_dir()]
    else:
        with tarfile.open(path) as t:
            out = [(m.name, t.extractfile(m).read()) for m in t.getmembers() if m.isfile()]
    return out


def text_of(raw):
    """Section 8's text encodings: UTF-8, or UTF-16/32 by byte order mark."""
    for bom, codec in ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                       (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec)
    return raw.decode("utf-8")


def js_payload(text):
    """A Twitter `.js` file: `window.YTD.<name>.part<N> = ` or `window.__THAR_CONFIG = `."""
    head = text.lstrip("\ufeff \t\r\n")
    eq = head.find("=", 0, 513)
    if eq < 0:
        return None, None
    target = head[:eq].strip()
    body = head[eq + 1:].strip()
    if body.endswith(";"):
        body = body[:-1]
    if target == "window.__THAR_CONFIG":
        return "__manifest", json.loads(body)
    parts = target.split(".")
    if len(parts) == 4 and parts[:2] == ["window", "YTD"] and parts[3].startswith("part"):
        return parts[2], json.loads(body)
    return None, None


def user_of(entries, forced):
    if forced:
        return forced
    for path, raw in entries:
        if path.rsplit("/", 1)[-1] == "account.js":
            _, v = js_payload(text_of(raw))
            if isinstance(v, list) and v:
                a = v[0].get("account", {})
                if a.get("username"):
                    return a["username"]
                if a.get("accountId"):
                    return a["accountId"]
    for path, raw in entries:
        if path.rsplit("/", 1)[-1] == "manifest.js":
            _, v = js_payload(text_of(raw))
            info = (v or {}).get("userInfo", {})
            if info.get("userName"):
                return info["userName"]
            if info.get("accountId"):
                return info["accountId"]
    return "unknown"


def record(kind, category, data, when=None, export_kind="twitter"):
    ms, offset = when if when else (None, None)
    return {"export_kind": export_kind, "record_kind": kind, "category": category,
            "data": data, "occurred_at": fmt_ms(ms), "source_offset": offset,
            "partition": fmt_ms(ms)[:7] if ms is not None else "undated"}


def twitter_records(name, payload):
    """Section 5: one record per element, by the file's global name."""
    if name == "__manifest":
        gen = payload.get("archiveInfo", {}).get("generationDate")
        return [record("manifest", "profile", standardize(snake_keys(payload)), iso(gen) if gen else None)]
    out = []
    for el in payload:
        if name in ("tweets", "tweet"):
            t = el.get("tweet", el) if isinstance(el, dict) else el
            data = snake_keys(t)
            for key in ("full_text", "text"):
                if isinstance(data.get(key), str):
                    data[key] = unescape(data[key])
            out.append(record("tweet", "social", standardize(data), twitter_time(t["created_at"])))
        elif name == "like":
            like = el["like"]
            data = snake_keys(like)
            if isinstance(data.get("full_text"), str):
                data["full_text"] = unescape(data["full_text"])
            when = None
            tid = like.get("tweetId")
            if tid and tid.isdigit() and int(tid) >= MAX_SNOWFLAKE_OLD:
                when = ((int(tid) >> 22) + 1288834974657, None)
                data["time_source"] = "snowflake"
            out.append(record("like", "social", standardize(data), when))
        elif name in ("direct_messages", "direct_messages_group"):
            conv = el["dmConversation"]
            times = [iso(m["messageCreate"]["createdAt"]) for m in conv.get("messages", [])
                     if "messageCreate" in m and "createdAt" in m["messageCreate"]]
            out.append(record("dm_conversation", "communication", standardize(snake_keys(conv)),
                              min(times, key=lambda t: t[0]) if times else None))
        elif name in ("follower", "following"):
            out.append(record(name, "social", standardize(snake_keys(el[name]))))
        elif name == "account":
            a = el["account"]
            out.append(record("account", "profile", standardize(snake_keys(a)),
                              iso(a["createdAt"]) if a.get("createdAt") else None))
        else:
            value = el if isinstance(el, dict) else {"value": el}
            data = {"collection": name}
            data.update(flatten(standardize(snake_keys(value)) or {}))
            out.append(record("generic", "other", data))
    return out


def main():
    folder, output = sys.argv[1], sys.argv[2]
    lines = []
    for name in sorted(os.listdir(folder), key=lambda n: n.encode("utf-8")):
        entries = entries_of(os.path.join(folder, name))
        user = user_of(entries, None)
        for path, raw in sorted(entries, key=lambda e: e[0].encode("utf-8")):
            try:
                records = records_of(path, raw, entries)
            except (ValueError, TimeError, KeyError, TypeError, UnicodeDecodeError) as e:
                sys.stderr.write("%s: %s: %s\n" % (name, path, e))
                continue
            for index, r in records:
                r["source"] = {"index": index, "input": name, "path": path}
                r["user"] = user
                lines.append(canonical(r))
    with open(output, "w", encoding="utf-8") as f:
        f.write("".join(l + "\n" for l in lines))


def records_of(path, raw, entries):
    """[(source index, record)] for one entry, by section 5's route table."""
    if path.endswith(".js"):
        name, payload = js_payload(text_of(raw))
        if name is None:
            raise ValueError("twitter.wrapper")
        recs = twitter_records(name, payload)
        return [(0 if name == "__manifest" else i, r) for i, r in enumerate(recs)]
    return spec_takeout.records_of(path, raw, text_of, record)


if __name__ == "__main__":
    main()
