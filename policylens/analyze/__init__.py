"""Analyse a text (the /analyze page): any policy text read the way Policy Lens reads the CGTN article.

Pure: no Streamlit. From the text alone this package builds paragraphs and sentences tagged by the theme reader of
one lens (the article's themes or the OECD AI Principles: a curated lexicon, every tag explained), the theme profile
(share of paragraphs per theme), the checkable figures (amounts, percentages, counts, dates) matched to curated rows
where possible, the quoted speech with its speaker, and the exports (CSV of sentences, JSON of figures and quotes).

Reading a file never raises anything but ``InputError``, whose ``sentence`` says what is wrong and what to do.

The modules, each importing only those above it:

- ``limits``: what a text or file may be, and ``InputError``;
- ``reading``: the text of an uploaded file (.txt, .md, .html, .docx, .pdf);
- ``splitting``: blocks (paragraphs, headings, notes) and sentences;
- ``tagging``: the theme reader (a curated lexicon per lens) and what explains each tag (``tag``, ``tag_block``);
- ``reference``: what a text is compared with under one lens, from the curated data;
- ``figures``: the checkable figures of a sentence;
- ``matching``: the curated rows a figure may be checked against;
- ``quotes``: quoted speech and its speaker;
- ``analysis``: ``analyze``, which puts the above together for one text;
- ``profile``: the share of paragraphs per theme, as a table and a chart;
- ``exports``: the CSV and JSON downloads.

Callers import the names below from ``policylens.analyze``; the modules are how the code is kept, not an interface.
"""

from policylens.analyze.analysis import Analysis, Paragraph, Sentence, analyze, fingerprint
from policylens.analyze.exports import analysis_json, explanation_words, sentences_csv, sentences_frame
from policylens.analyze.figures import Figure, Match, extract_figures
from policylens.analyze.limits import (
    EXTENSIONS,
    LIMITS_SENTENCE,
    MAX_BYTES,
    MAX_DOCX_PARTS,
    MAX_DOCX_RATIO,
    MAX_DOCX_UNPACKED,
    MAX_PDF_PAGES,
    MAX_WORDS,
    InputError,
    check_size,
    check_text,
    count_words,
)
from policylens.analyze.matching import Context, match_figure, match_figures
from policylens.analyze.profile import profile_alt, profile_bars, profile_table
from policylens.analyze.quotes import Quote, extract_quotes
from policylens.analyze.reading import decode_text, docx_text, html_text, markdown_text, pdf_text, read_file, shown_name
from policylens.analyze.reference import LENSES, Claim, Reference, build_reference
from policylens.analyze.splitting import block_kind, normalise, split_blocks, split_sentences
from policylens.analyze.tagging import BlockTags, Lexicon, tag, tag_block, tag_keywords

__all__ = [
    "EXTENSIONS",
    "LENSES",
    "LIMITS_SENTENCE",
    "MAX_BYTES",
    "MAX_DOCX_PARTS",
    "MAX_DOCX_RATIO",
    "MAX_DOCX_UNPACKED",
    "MAX_PDF_PAGES",
    "MAX_WORDS",
    "Analysis",
    "BlockTags",
    "Claim",
    "Context",
    "Figure",
    "InputError",
    "Lexicon",
    "Match",
    "Paragraph",
    "Quote",
    "Reference",
    "Sentence",
    "analysis_json",
    "analyze",
    "block_kind",
    "build_reference",
    "check_size",
    "check_text",
    "count_words",
    "decode_text",
    "docx_text",
    "explanation_words",
    "extract_figures",
    "extract_quotes",
    "fingerprint",
    "html_text",
    "markdown_text",
    "match_figure",
    "match_figures",
    "normalise",
    "pdf_text",
    "profile_alt",
    "profile_bars",
    "profile_table",
    "read_file",
    "sentences_csv",
    "sentences_frame",
    "shown_name",
    "split_blocks",
    "split_sentences",
    "tag",
    "tag_block",
    "tag_keywords",
]
