#!/usr/bin/env python3
"""Measures libexttextcat (Debian's libexttextcat-2.0 with libexttextcat-data, the n-gram rank
classifier LibreOffice uses) on Corpus/language/sentences.tsv, the set LanguageDetectorTests
measures our detector on, so the two can be compared with the same rules (docs/SPEC.md 5.9):

  - the six languages (en es fr de zh ja): right when textcat names exactly that language;
  - the six others (da nl sv it pt pl): right when the answer is none of the six (`und`).

  apt-get install libexttextcat-2.0-0 libexttextcat-data
  python3 Scripts/language-compare.py [sentences.tsv]
"""
import ctypes, collections, sys

SIX = ["en", "es", "fr", "de", "zh", "ja"]
OTHERS = ["da", "nl", "sv", "it", "pt", "pl"]
path = sys.argv[1] if len(sys.argv) > 1 else "Corpus/language/sentences.tsv"
lib = ctypes.CDLL("libexttextcat-2.0.so.0")
lib.special_textcat_Init.restype = ctypes.c_void_p
lib.special_textcat_Init.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
lib.textcat_Classify.restype = ctypes.c_char_p
lib.textcat_Classify.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
handle = lib.special_textcat_Init(b"/usr/share/libexttextcat/fpdb.conf", b"/usr/share/libexttextcat/")
assert handle, "textcat_Init failed"


def answer(text):
    raw = lib.textcat_Classify(handle, text.encode(), len(text.encode())).decode()
    if raw in ("SHORT", "UNKNOWN"):
        return "und", raw
    names = [n.split("-")[0] for n in raw.strip("[]").split("][")]
    return (names[0] if len(names) == 1 and names[0] in SIX else "und"), raw


right, total, first = collections.Counter(), collections.Counter(), collections.Counter()
for line in open(path, encoding="utf-8"):
    if line.startswith("#"):
        continue
    code, _, text = line.rstrip("\n").split("\t", 2)
    if len(text) < 20:
        continue
    total[code] += 1
    got, raw = answer(text)
    if raw.startswith("[") and raw.strip("[]").split("][")[0].split("-")[0] == code:
        first[code] += 1
    if (code in SIX and got == code) or (code in OTHERS and got == "und"):
        right[code] += 1
print("libexttextcat on", path)
print("  accuracy: " + ", ".join(f"{c} {right[c]}/{total[c]}" for c in SIX))
print("  accuracy counting its first candidate even among several: " + ", ".join(f"{c} {first[c]}/{total[c]}" for c in SIX))
print("  und on the others: " + ", ".join(f"{c} {right[c]}/{total[c]}" for c in OTHERS))
for text in ["Tjek 👏", "1 notification", "Jeg elsker at læse bøger om vinteren, når det er koldt udenfor."]:
    print(f"  {text!r}: {answer(text)[1]}")
