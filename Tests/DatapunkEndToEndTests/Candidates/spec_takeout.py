def records_of(path, raw, text_of, record):
    return []
