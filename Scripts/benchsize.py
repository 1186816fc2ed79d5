"""Shared by the single-file benchmark generators (make-single-json.py, make-single-mbox.py)."""


def parse(size):
    """`10GB`, `256MB`, `64KB` (binary multiples) or a plain byte count, as bytes."""
    units = {"GB": 1 << 30, "MB": 1 << 20, "KB": 1 << 10}
    for u, f in units.items():
        if size.upper().endswith(u):
            return int(size[:-2]) * f
    return int(size)
