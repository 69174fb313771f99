"""The meeting pack, downloaded in the browser, unzipped and opened from disk with the network off."""

import zipfile

from playwright.sync_api import expect

from policylens.views import load_deck
from policylens.views.base import Chart, Data
from tests.e2e.helpers import open_page


def test_meeting_pack_opens_offline_and_draws_every_chart(
    server, page, context, tmp_path, js_errors, frames, provenances
):
    open_page(page, server.url + "/story?slide=1")
    with page.expect_download(timeout=120_000) as download_info:
        page.get_by_role("button", name="Download the meeting pack (zip)").click()
    archive = tmp_path / "pack.zip"
    download_info.value.save_as(archive)
    with zipfile.ZipFile(archive) as pack:
        names = pack.namelist()
        assert "policy-lens-meeting-pack/data/expo.csv" in names
        assert "policy-lens-meeting-pack/sources.csv" in names
        pack.extractall(tmp_path)
    index = tmp_path / "policy-lens-meeting-pack" / "index.html"

    requests = []
    context.set_offline(True)
    context.route("**/*", lambda route: (requests.append(route.request.url), route.abort())[1])
    page.route("file://**", lambda route: route.continue_())  # the page itself, from disk
    page.goto(index.as_uri())
    _, slides = load_deck()
    charts = page.locator("div[id^=slide-][id*=-chart-]")
    # Every chart of every slide: the charts of each slide page's compact view for the slide's query.
    data = Data(frames=dict(frames), provenances=dict(provenances))
    expected = sum(isinstance(b, Chart) for s in slides for b in s.view(data).compact_blocks())
    assert expected >= sum(1 for s in slides if s.page in ("expo", "research", "policy"))
    expect(charts).to_have_count(expected)
    for i in range(expected):
        expect(charts.nth(i).locator("svg.main-svg").first).to_be_attached()
    expect(page.locator("section h2").first).to_have_text(slides[0].title)
    expect(page.locator("#slide-2")).to_contain_text("3,486")
    voices = next(s for s in slides if s.page == "voices")  # record cards print as their plain text
    expect(page.locator(f"#slide-{voices.number}")).to_contain_text("Xiaosheng Tan")
    assert requests == [], f"the pack tried to reach the network: {requests}"
