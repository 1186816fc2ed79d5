#!/usr/bin/env python3
"""Language data for datapunk's detector, from the translation catalogues (.mo) Debian packages ship.

Real sentences in en (the catalogues' msgids), es, fr, de, zh (zh_CN and zh_TW) and ja (msgstrs),
and in six other Latin-script languages (da, nl, sv, it, pt, pl) the detector must answer `und` for,
split by package so that what the detector is measured on is never what it was built from:

  - TEST_PACKAGES (core utilities) -> Corpus/language/sentences.tsv, the labelled set the
    accuracy test reads (150 sentences per language, 20 characters or more);
  - every other catalogue on the machine (iso-codes excepted: lists of names) -> the character
    trigram profiles in Sources/LakeNormalize/Language/LanguageProfiles.swift.

  python3 Scripts/language-data.py            # rewrites both files (deterministic for the same catalogues)
  python3 Scripts/language-data.py --check    # prints per-language counts only
  python3 Scripts/language-data.py --all F    # every test-package sentence into F (not committed);
      LANGUAGE_SENTENCES=F swift test --filter accuracyOnRealSentences   measures on all of them

The feature rules here and in LanguageDetector.swift must stay the same (docs/SPEC.md 5.9).
"""
import collections, glob, hashlib, math, os, re, struct, sys, unicodedata

LOCALE = "/usr/share/locale"
LANGS = {"es": ["es"], "fr": ["fr"], "de": ["de"], "zh": ["zh_CN", "zh_TW"], "ja": ["ja"],
         # Other Latin-script languages: profiled so that text in them is told apart and
         # answered `und`, and measured as negatives (docs/SPEC.md 5.9).
         "da": ["da"], "nl": ["nl"], "sv": ["sv"], "it": ["it"], "pt": ["pt", "pt_BR"], "pl": ["pl"]}
OTHERS = ["da", "nl", "sv", "it", "pt", "pl"]
TEST_PACKAGES = {"apt", "bash", "coreutils", "diffutils", "dpkg", "findutils", "grep", "sed", "tar", "adduser", "shadow", "make", "wget",
                 "libapt-pkg6.0", "gettext-runtime"}
PER_LANGUAGE = 150
MIN_CHARS = 20
TOP_TRIGRAMS = 3000
LATIN = ["en", "es", "fr", "de"] + OTHERS


def read_mo(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic == 0x950412DE else ">"
    _, n, orig, trans = struct.unpack(end + "4I", data[4:20])
    pairs = []
    for i in range(n):
        ol, oo = struct.unpack(end + "2I", data[orig + 8 * i: orig + 8 * i + 8])
        tl, to = struct.unpack(end + "2I", data[trans + 8 * i: trans + 8 * i + 8])
        msgid = data[oo: oo + ol].split(b"\0")[0]
        msgstr = data[to: to + tl].split(b"\0")[0]
        if b"\x04" in msgid:  # msgctxt
            msgid = msgid.split(b"\x04", 1)[1]
        try:
            pairs.append((msgid.decode("utf-8"), msgstr.decode("utf-8")))
        except UnicodeDecodeError:
            pass
    return pairs


FORMAT = re.compile(r"%(\d+\$)?[-+ #0']*(\d+|\*)?(\.(\d+|\*))?(hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcsSpm%]|%\([a-z_]+\)[sd]|\{[^}]*\}|\$\{[^}]*\}|<[^>]+>")


def clean(text):
    text = FORMAT.sub(" ", text)
    text = re.sub(r"_(?=\w)", "", text)  # GTK mnemonics
    text = re.sub(r"&(?=\w)", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return unicodedata.normalize("NFC", text)


def sentence(text):
    """A catalogue string fit to be a labelled sentence: long enough and mostly letters."""
    if len(text) < MIN_CHARS:
        return False
    visible = [c for c in text if not c.isspace()]
    letters = [c for c in visible if c.isalpha()]
    return len(letters) >= 0.6 * len(visible)


def trigrams(text):
    """The detector's features (LanguageDetector.trigrams): lowercase; every run of letters is a
    word; each word padded with one space on each side; every 3 consecutive characters."""
    out = []
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        padded = " " + word + " "
        out.extend(padded[i: i + 3] for i in range(len(padded) - 2))
    return out


def catalogues():
    """(package, language, msgid, msgstr) for every catalogue of the translated languages."""
    for lang, dirs in LANGS.items():
        for d in dirs:
            for path in sorted(glob.glob(f"{LOCALE}/{d}/LC_MESSAGES/*.mo")):
                package = os.path.basename(path)[:-3]
                if package.startswith("iso_"):
                    continue
                for msgid, msgstr in read_mo(path):
                    yield package, lang, msgid, msgstr


def main():
    check = "--check" in sys.argv
    train = collections.defaultdict(collections.Counter)
    test = collections.defaultdict(set)
    seen_en_train, seen = set(), set()
    for package, lang, msgid, msgstr in catalogues():
        if msgid == "":  # the catalogue's header entry
            continue
        original, translated = clean(msgid), clean(msgstr)
        if not translated or translated == original:
            continue
        is_test = package in TEST_PACKAGES
        for code, text in (("en", original), (lang, translated)):
            if is_test:
                if sentence(text) and (code, text) not in seen:
                    seen.add((code, text))
                    test[code].add((package, text))
            elif (code, text) not in seen_en_train:
                seen_en_train.add((code, text))
                train[code].update(trigrams(text))
    # Sentences in both sets are dropped from the test set (the split is by package, and a few
    # strings are shared between packages).
    trained_texts = set(seen_en_train)
    rows = []
    for code in ["en", "es", "fr", "de", "zh", "ja"] + OTHERS:
        pool = sorted((p, t) for p, t in test[code] if (code, t) not in trained_texts)
        pool.sort(key=lambda pt: hashlib.sha256((code + "\n" + pt[1]).encode()).hexdigest())
        chosen = sorted(pool if "--all" in sys.argv else pool[:PER_LANGUAGE], key=lambda pt: (pt[0], pt[1]))
        print(f"{code}: {len(pool)} test sentences available, {len(chosen)} kept; {sum(train[code].values())} training trigrams", file=sys.stderr)
        rows += [(code, p, t) for p, t in chosen]
    if check:
        return
    if "--all" in sys.argv:
        # Every test-package sentence, for a wider measurement than the committed 150 per language.
        out = sys.argv[sys.argv.index("--all") + 1]
        with open(out, "w", encoding="utf-8") as f:
            for code, p, t in rows:
                f.write(f"{code}\t{p}\t{t.replace(chr(9), ' ')}\n")
        return
    os.makedirs("Corpus/language", exist_ok=True)
    with open("Corpus/language/sentences.tsv", "w", encoding="utf-8") as f:
        f.write("# language\tpackage\tsentence  (real translation-catalogue strings; made by Scripts/language-data.py)\n")
        for code, p, t in rows:
            f.write(f"{code}\t{p}\t{t.replace(chr(9), ' ')}\n")
    # Profiles: log-probabilities in thousandths (integers), add-one smoothing over the union of
    # the kept trigrams; a missing trigram scores the language's floor.
    kept = {code: [g for g, _ in sorted(train[code].items(), key=lambda gc: (-gc[1], gc[0]))[:TOP_TRIGRAMS]] for code in LATIN}
    vocabulary = len(set(g for code in LATIN for g in kept[code]))
    lines = []
    for code in LATIN:
        total = sum(train[code][g] for g in kept[code])
        floor = round(1000 * math.log(1 / (total + vocabulary + 1)))
        entries = "|".join(f'{g}={round(1000 * math.log((train[code][g] + 1) / (total + vocabulary + 1)))}'
                           for g in sorted(kept[code]))
        lines.append(f'        "{code}": Profile(floor: {floor}, table: "{entries}"),')
    with open("Sources/LakeNormalize/Language/LanguageProfiles.swift", "w", encoding="utf-8") as f:
        f.write("// Generated by Scripts/language-data.py from the translation catalogues of Debian packages\n")
        f.write("// other than the test set's (docs/SPEC.md 5.9). Do not edit; run the script again.\n\n")
        f.write("extension LanguageDetector {\n")
        f.write("    /// Character trigram log-probabilities in thousandths, per Latin-script language, as\n")
        f.write("    /// `trigram=score` pairs joined by `|` (trigrams hold only letters and spaces).\n")
        f.write("    static let profiles: [String: Profile] = [\n")
        f.write("\n".join(lines) + "\n")
        f.write("    ]\n}\n")


main()
