#!/usr/bin/env python3
"""Reads a PDF with PDFium (pypdfium2: the engine of Chromium's PDF viewer) as a viewer would:
prints the text of every page (format characters removed), a NUL line, then for each query
given after the file whether PDFium's text search (FPDFText_Find, as a find bar) finds it."""
import re, sys
import pypdfium2 as pdfium

pdf = pdfium.PdfDocument(sys.argv[1])
pages = [pdf[i].get_textpage() for i in range(len(pdf))]
text = "\n".join(page.get_text_range() for page in pages)
print(re.sub("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]", "", text))
print("\x00")
for query in sys.argv[2:]:
    found = any(page.search(query).get_next() for page in pages)
    print(query, "found" if found else "missing")
