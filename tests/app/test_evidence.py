"""The Overview's claim evidence: each card's Evidence popover is drawn only when it is opened."""

from tests.app.helpers import open_boxes

EXPO_LINK = ("Open the dataset: China International Import Expo, editions 1 to 8", "sources", "dataset=expo")


def dataset_links(app):
    return [
        (link.proto.label, link.proto.page, link.proto.query_string)
        for link in app.get("page_link")
        if link.proto.label.startswith("Open the dataset")
    ]


def evidence_texts(app):
    words = ("**The article's words**", "**The source figure:**", "**Row:**")
    return [m.value for m in app.markdown if m.value.startswith(words)]


def test_a_closed_evidence_popover_sends_nothing_and_opening_it_shows_the_evidence(app):
    app.run()
    assert not app.exception
    # Every card has its (closed) popover, and none of them sends its contents.
    assert {"evidence-c03", "evidence-c04", "evidence-c07", "evidence-c08"} <= set(app.session_state)
    assert dataset_links(app) == []
    assert evidence_texts(app) == []

    open_boxes(app, "evidence-c03")
    # The opened card's evidence, as before: the article's words, the source figure, the row and the dataset link.
    assert dataset_links(app) == [EXPO_LINK]
    assert evidence_texts(app) == [
        "**The article's words** (the article, paragraph 1):",
        "**The source figure:** 3,486 companies from 128 countries and regions",
        "**Row:** dataset `expo`, row 57, key `6|exhibitors` · **confidence:** verified\\-in\\-source",
    ]
