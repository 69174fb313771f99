"""Drawing a built ``View`` outside Streamlit, in one place: every output that is not the live page draws from here.

- ``engine``: the one headless Chromium (kaleido) that turns figures into PNG and SVG pictures, for every caller;
- ``figures``: a chart's figure dressed for each kind of picture (a download, a link preview, the first paint);
- ``markup``: a view's blocks as HTML and as plain text (the meeting pack, the slides, the first paint);
- ``snapshot``: the first paint of a page link, the static drawing of its exact view sent with the HTML;
- ``pictures``: the first paint's chart pictures, drawn in the background and kept per view and data version.

The meeting pack (``policylens.pack``), the slides (``policylens.slides_pptx``), the chart downloads
(``policylens.export``) and the link previews (``policylens.linkpreview``, ``server/previews.py``) all draw through
these modules. Pure: nothing here imports Streamlit.
"""
