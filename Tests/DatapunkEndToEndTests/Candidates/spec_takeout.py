"""docs/SPEC.md sections 5.4-5.6 and 5.8's routes from the document alone: Takeout JSON
families, CSV, and the hand-off to the mail, vCard, iCalendar and HTML readers."""
import json, re
from spec_text import standardize, snake_keys, flatten
from spec_times import iso, epoch, TimeError
import spec_documents

ACTIVITY_NAMES = {"MyActivity.json", "My Activity.json", "MeineAktivitäten.json", "Meine Aktivitäten.json"}
ACTIVITY_FOLDERS = {"My Activity", "Meine Aktivitäten"}
TIMELINE_NAMES = {"Timeline.json", "location-history.json"}
CATEGORY = {"activity": "activity", "browser_visit": "activity", "location": "location",
            "semantic_location": "location", "timeline_segment": "location", "timeline_signal": "location",
            "timeline_profile": "location", "photo_metadata": "media", "subscription": "social", "generic": "other"}


def is_takeout(path):
    return path.startswith("Takeout/") or "/Takeout/" in path


def family_by_path(path):
    """Section 5.6's routing table (Takeout's rows; Facebook's are not in this candidate's cases)."""
    parts = path.split("/")
    name = parts[-1]
    folders = parts[:-1]
    if name in ACTIVITY_NAMES:
        return "activity"
    if is_takeout(path) and (name in ("watch-history.json", "search-history.json")
                             or any(f in ACTIVITY_FOLDERS for f in folders)):
        return "activity"
    if name in ("Records.json", "Location History.json"):
        return "location"
    if "Semantic Location History" in folders:
        return "semantic_location"
    if name in TIMELINE_NAMES:
        return "timeline"
    if name in ("BrowserHistory.json", "History.json", "Verlauf.json") and "Chrome" in folders:
        return "browser_visit"
    if is_takeout(path) and name != "metadata.json" and any(
            f.startswith("Google Photos") or f.startswith("Google Fotos") for f in folders):
        return "photo_metadata"
    return None


def family_by_content(head):
    """Section 5.6's content rules, on the first 4 KiB."""
    if '"photoTakenTime"' in head or ('"creationTime"' in head and '"geoData"' in head):
        return "photo_metadata"
    if head.lstrip().startswith("[") and all(k in head for k in ('"header"', '"title"', '"time"')) and (
            '"products"' in head or '"titleUrl"' in head):
        return "activity"
    if '"locations"' in head and '"latitudeE7"' in head:
        return "location"
    if '"timelineObjects"' in head:
        return "semantic_location"
    if '"semanticSegments"' in head or '"rawSignals"' in head:
        return "timeline"
    if '"Browser History"' in head:
        return "browser_visit"
    return "generic"


READS = {"location": ["locations"], "semantic_location": ["timelineObjects"],
         "timeline": ["semanticSegments", "rawSignals"], "browser_visit": ["Browser History"]}


def elements(doc, family):
    """JSONRecordStream: (member key or None, element) in file order."""
    if isinstance(doc, list):
        return [(None, e) for e in doc]
    if not isinstance(doc, dict) or family == "photo_metadata":
        return [(None, doc)]
    out, rest = [], {}
    for k, v in doc.items():
        if isinstance(v, list) and (family == "generic" or k in READS.get(family, [])):
            out.extend((k, e) for e in v)
        else:
            rest[k] = v
    if rest:
        out.append((None, rest))
    return out


def micro_degrees_e7(e7):
    """Section 5.4: E7 divided by 10, half away from zero."""
    q, r = divmod(abs(int(e7)), 10)
    q += 1 if r >= 5 else 0
    return q if int(e7) >= 0 else -q


def geo(lat_u, lng_u):
    g = {"lat": lat_u / 1e6, "lng": lng_u / 1e6}
    if abs(lat_u) > 90_000_000 or abs(lng_u) > 180_000_000:
        g["out_of_bounds"] = True
    return g


def decimal_micro(text):
    m = re.match(r"^\s*(-?)(\d{1,12})(?:\.(\d{1,20}))?\s*$", str(text))
    if not m:
        return None
    frac = (m.group(3) or "").ljust(7, "0")
    v = int(m.group(2)) * 1_000_000 + int(frac[:6]) + (1 if int(frac[6]) >= 5 else 0)
    return -v if m.group(1) else v


def time_and_geo(family, kind, el):
    """Section 5.6's times and points for one element: (time or None, geo or None, extra data)."""
    when, point, extra = None, None, {}
    if family == "activity" and "time" in el:
        when = iso(el["time"])
    elif family == "location":
        if "timestampMs" in el:
            when = epoch(el["timestampMs"], "ms")
        elif "timestamp" in el:
            when = iso(el["timestamp"])
        if "latitudeE7" in el and "longitudeE7" in el:
            point = (micro_degrees_e7(el["latitudeE7"]), micro_degrees_e7(el["longitudeE7"]))
    elif family == "semantic_location":
        inner = el.get("placeVisit") or el.get("activitySegment") or {}
        d = inner.get("duration", {})
        if "startTimestampMs" in d:
            when = epoch(d["startTimestampMs"], "ms")
        elif "startTimestamp" in d:
            when = iso(d["startTimestamp"])
        loc = inner.get("location") or inner.get("startLocation") or {}
        if "latitudeE7" in loc and "longitudeE7" in loc:
            point = (micro_degrees_e7(loc["latitudeE7"]), micro_degrees_e7(loc["longitudeE7"]))
    elif family == "browser_visit" and "time_usec" in el:
        when = epoch(el["time_usec"], "us")
    elif family == "photo_metadata":
        for key in ("photoTakenTime", "creationTime"):
            if isinstance(el.get(key), dict) and "timestamp" in el[key]:
                when = epoch(el[key]["timestamp"], "s")
                break
        for key in ("geoData", "geoDataExif"):
            g = el.get(key)
            if isinstance(g, dict) and "latitude" in g and "longitude" in g:
                lat, lng = decimal_micro(g["latitude"]), decimal_micro(g["longitude"])
                if lat is not None and lng is not None and (lat, lng) != (0, 0):
                    point = (lat, lng)
                    break
    elif family == "generic":
        when, extra = generic_time(el)
    return when, point, extra


GENERIC_FIRST = ["time", "timestamp", "snippet.published_at", "install.first_installation_time", "creation_time", "date"]


def generic_time(el):
    flat = flatten(snake_keys(el))
    def try_key(k):
        v = flat.get(k)
        if isinstance(v, str):
            try:
                return iso(v)
            except TimeError:
                return None
        return None
    for k in GENERIC_FIRST:
        t = try_key(k)
        if t:
            return t, {"time_source": k}
    for k in flat:
        last = k.rsplit(".", 1)[-1]
        if last in ("time", "timestamp", "date") or last.endswith(("_time", "_at", "_date", "_timestamp")):
            t = try_key(k)
            if t:
                return t, {"time_source": k}
    return None, {}


def json_records(path, text, record):
    family = family_by_path(path) or family_by_content(text[:4096])
    doc = json.loads(text)
    out = []
    for index, (key, el) in enumerate(elements(doc, family)):
        kind = family
        if family == "timeline":
            kind = {"semanticSegments": "timeline_segment", "rawSignals": "timeline_signal"}.get(
                key, "timeline_segment" if isinstance(doc, list) else "timeline_profile")
        value = el if isinstance(el, dict) else {"value": el}
        when, point, extra = time_and_geo(family, kind, value)
        data = standardize(snake_keys(value)) or {}
        if family == "generic":
            flat = flatten(data)
            data = {"collection": key} if key is not None else {}
            data.update(flat)
        if point:
            data["geo"] = geo(*point)
        data.update(extra)
        export_kind = "google-takeout" if is_takeout(path) or family != "generic" else "generic"
        out.append((index, record(kind, CATEGORY[kind], data, when, export_kind)))
    return out


def records_of(path, raw, text_of, record):
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".json"):
        return json_records(path, text_of(raw), record)
    return spec_documents.records_of(path, raw, text_of, record, is_takeout(path))
