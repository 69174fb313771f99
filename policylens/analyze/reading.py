"""Reading an uploaded file as text: plain text (UTF-8 or UTF-16), HTML, Markdown, Word (.docx) and text PDFs.

A file that cannot be read raises ``InputError`` with a sentence naming the file and what to do, never a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

from policylens.analyze.limits import (
    EXTENSIONS,
    MAX_DOCX_PARTS,
    MAX_DOCX_RATIO,
    MAX_DOCX_UNPACKED,
    MAX_PDF_PAGES,
    InputError,
    check_size,
    check_text,
    megabytes,
)

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def decode_text(content: bytes, name: str = "file") -> str:
    """Text of a file: UTF-8 (with or without a byte-order mark) or UTF-16 with its byte-order mark."""
    for bom, codec in _BOMS:
        if content.startswith(bom):
            try:
                return content.decode(codec)
            except UnicodeDecodeError:
                raise InputError(
                    f"{name} starts like a {codec.upper().replace('-SIG', '')} text but is damaged further on: "
                    "save it again as UTF-8 and upload it again, or paste its text."
                ) from None
    if b"\x00" in content[:65536] or _control_share(content[:65536]) > 0.05:
        raise InputError(
            f"{name} does not hold plain text (it contains binary data), although its name says it does: upload the "
            "document in its own format (.docx or .pdf), or open it and paste its text."
        )
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            f"{name} is not in UTF-8 or UTF-16 (the encodings read here), so its letters would come out wrong: save "
            "it as UTF-8 (Save as, Encoding: UTF-8) and upload it again, or paste its text."
        ) from None


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    return sum(1 for b in sample if b in _CONTROL) / len(sample)


class _VisibleText(HTMLParser):
    """The text a browser shows: no scripts, styles or other invisible parts; block elements become paragraphs."""

    HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas"})
    BLOCKS = frozenset(
        {
            "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "section", "article", "header",
            "footer", "main", "aside", "nav", "blockquote", "pre", "hr", "figure", "figcaption", "title",
            "h1", "h2", "h3", "h4", "h5", "h6", "address", "caption", "td", "th",
        }
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.head = False  # inside <head>, only the <title> is text
        self.title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "head":
            self.head = True
        elif tag == "body":
            self.head = False  # a page may leave </head> out
        elif tag == "title":
            self.title = True
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        elif tag == "head":
            self.head = False
        elif tag == "title":
            self.title = False
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden and (not self.head or self.title):
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML page, paragraph by paragraph (the standard library's parser, not a regex)."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    blocks = re.split(r"\n\s*\n", "".join(parser.parts))
    return "\n\n".join(" ".join(b.split()) for b in blocks if b.strip())


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+)")


def markdown_text(source: str) -> str:
    """Markdown as plain text: headings, quotes and list items keep their words, links their labels; no markup."""
    lines = []
    for line in source.splitlines():
        if line.strip().startswith("```") or re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", line):
            lines.append("")
            continue
        heading = re.match(r"^\s{0,3}#{1,6}\s+", line)
        line = _MD_PREFIX.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        # A heading is its own paragraph, whatever surrounds it.
        lines.extend(["", line.rstrip("# ").strip(), ""] if heading else [line])
    return "\n".join(lines)


def docx_text(content: bytes, name: str = "This .docx file") -> str:
    """The paragraphs (and table cells) of a Word file, after checking the zip it is made of."""
    damaged = (
        f"{name} cannot be opened because it is damaged or is not a Word document: save it again as .docx from Word "
        "or LibreOffice and upload it again, or paste its text."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise InputError(damaged) from None
    unpacked = sum(max(0, p.file_size) for p in parts)
    packed = sum(max(0, p.compress_size) for p in parts)
    if len(parts) > MAX_DOCX_PARTS or unpacked > MAX_DOCX_UNPACKED or unpacked > MAX_DOCX_RATIO * max(packed, 1):
        raise InputError(
            f"{name} would unpack to {megabytes(unpacked)} from {megabytes(len(content))}, more than a Word file "
            "of text ever does, so it is refused as a possible zip bomb: save the text as a plain .docx or .txt, or "
            "paste it."
        )
    try:
        # Imported here, inside the try: python-docx takes about 80 ms to import, which only a .docx upload should
        # pay, and a failure to load it is the same sentence as a damaged file.
        import docx  # python-docx

        document = docx.Document(io.BytesIO(content))
        paragraphs = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    paragraphs.extend(p.text for p in cell.paragraphs)
    except Exception:  # noqa: BLE001  (any failure of a damaged upload is the same sentence, never a traceback)
        raise InputError(damaged) from None
    return "\n\n".join(p.strip() for p in paragraphs if p and p.strip())


def pdf_text(content: bytes, name: str = "This PDF") -> str:
    """The text layer of a PDF, page by page; a scanned PDF (images only) has none."""
    try:
        # Imported here, inside the try: pypdf takes about 80 ms to import, which only a PDF upload should pay.
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are encrypted with an empty password, to restrict printing
            except Exception:  # noqa: BLE001
                opened = 0
            if not opened:
                raise InputError(
                    f"{name} is protected by a password: save an unprotected copy and upload that, or paste its text."
                )
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise InputError(
                f"{name} has {len(pages):,} pages and the limit is {MAX_PDF_PAGES:,}: split it into parts."
            )
        texts = []
        for page in pages:
            try:
                texts.append(page.extract_text(extraction_mode="layout") or "")
            except Exception:  # noqa: BLE001  (layout mode fails on some pages; the plain mode still reads them)
                texts.append(page.extract_text() or "")
    except InputError:
        raise
    except Exception:  # noqa: BLE001
        raise InputError(
            f"{name} cannot be read because it is damaged or is not a PDF: export it as PDF again, or paste its text."
        ) from None
    text = "\n\n".join(texts)
    if not text.strip():
        raise InputError(
            f"{name} has no text layer (it looks like a scan, pictures of pages): run it through text recognition "
            "(OCR) first, or paste its text."
        )
    return text


def read_file(name: str, content: bytes) -> str:
    """The text of an uploaded file, by its extension; ``InputError`` with a sentence for anything unusable."""
    shown = shown_name(name)
    extension = shown.rsplit(".", 1)[-1].lower() if "." in shown else ""
    if extension not in EXTENSIONS:
        raise InputError(
            f"“{shown}” is not a file type read here: upload a .txt, .md, .html, .docx or .pdf file, or paste its text."
        )
    check_size(len(content), f"“{shown}”")
    if not content:
        raise InputError(f"“{shown}” is empty: upload a file that contains text, or paste the text.")
    what = f"“{shown}”"
    if extension == "docx":
        text = docx_text(content, what)
    elif extension == "pdf":
        text = pdf_text(content, what)
    else:
        text = decode_text(content, what)
        if extension in ("html", "htm"):
            text = html_text(text)
        elif extension == "md":
            text = markdown_text(text)
    return check_text(text, what)


def shown_name(name: str) -> str:
    """A file name as it may be shown: its last part, control characters removed, cut to 80 characters."""
    last = re.split(r"[\\/]", str(name or "file"))[-1]
    clean = "".join(ch for ch in last if ch.isprintable()).strip() or "file"
    return clean if len(clean) <= 80 else clean[:60] + "…" + clean[-19:]
