#!/usr/bin/env python3
"""Dump how the model's own tokenizer treats every Unicode scalar (a development check).

For each code point c (surrogates excluded) prints one line
    <hex c> TAB <hex code points of normalize(c), space-separated, '-' if removed> TAB <class>
where <class> is how the pre-tokenizer alone treats c between two letters:
'p' (isolated as punctuation), 's' (whitespace, dropped) or 'o' (other).
The Swift test `UnicodeTableTests` compares rtpipe's WordPiece normaliser with this table when
RTPIPE_UNICODE_TABLE names the output file. Needs the PyPI package `tokenizers`.

    python unicode_table.py /path/to/tokenizer.json > /tmp/unicode-table.tsv
"""
import sys
from tokenizers import Tokenizer

tok = Tokenizer.from_file(sys.argv[1])
norm, pre = tok.normalizer, tok.pre_tokenizer
out = sys.stdout
for c in range(0x110000):
    if 0xD800 <= c <= 0xDFFF:
        continue
    ch = chr(c)
    n = norm.normalize_str(ch)
    ns = " ".join("%X" % ord(x) for x in n) if n else "-"
    pieces = pre.pre_tokenize_str("a" + ch + "b")
    cls = "p" if len(pieces) == 3 else ("s" if len(pieces) == 2 else "o")
    out.write("%X\t%s\t%s\n" % (c, ns, cls))
