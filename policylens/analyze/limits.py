"""What /analyze accepts: the limits of a pasted text or an uploaded file, and the one error it raises.

Reading a file or checking a text never raises anything but ``InputError``, whose ``sentence`` says what is wrong and
what to do.
"""

from __future__ import annotations

MAX_BYTES = 5 * 1024 * 1024  # a file or a pasted text, as UTF-8
MAX_WORDS = 200_000
# A .docx is a zip: its parts are checked before any is unpacked. Text compresses about 5 to 20 times; a zip bomb
# (a small file that unpacks to gigabytes) far more.
MAX_DOCX_UNPACKED = 40 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_DOCX_PARTS = 2_000
MAX_PDF_PAGES = 2_000
EXTENSIONS: tuple[str, ...] = ("txt", "md", "html", "htm", "docx", "pdf")
LIMITS_SENTENCE = (
    f"Paste a text or upload a .txt, .md, .html, .docx or text .pdf file of up to {MAX_BYTES // (1024 * 1024)} MB "
    f"and {MAX_WORDS:,} words."
)


class InputError(ValueError):
    """A text or file that cannot be analysed; ``sentence`` says what is wrong and what to do."""

    def __init__(self, sentence: str):
        super().__init__(sentence)
        self.sentence = sentence


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(size: int, what: str = "This file") -> None:
    if size > MAX_BYTES:
        raise InputError(
            f"{what} is {megabytes(size)} and the limit is {MAX_BYTES // (1024 * 1024)} MB: split it into parts, or "
            "paste the part you want to analyse."
        )


def check_text(text: str, what: str = "") -> str:
    """The text itself, once it is known to hold words and to be within the limits (``what`` names a file)."""
    if not text or not text.strip():
        if what:
            raise InputError(f"{what} holds no words to analyse: upload a file that contains text, or paste the text.")
        raise InputError("There is no text to analyse: paste a text into the box, or upload a file.")
    what = what or "This text"
    check_size(len(text.encode("utf-8", "replace")), what)
    words = count_words(text)
    if words > MAX_WORDS:
        raise InputError(
            f"{what} has {words:,} words and the limit is {MAX_WORDS:,}: split it into parts and analyse them one by "
            "one."
        )
    return text


def count_words(text: str) -> int:
    return len(text.split())
