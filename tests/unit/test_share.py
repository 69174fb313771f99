from policylens.share import bibtex, citation
from policylens.views import page


def test_a_link_keeps_repeated_parameters_in_order_and_encodes_text():
    link = page("voices").link([("q", "<script>"), ("theme", "privacy"), ("theme", "talent")], "http://host")
    assert link == "http://host/voices?q=%3Cscript%3E&theme=privacy&theme=talent"
    assert page("overview").link([], "http://host") == "http://host/"


def test_citation_names_view_version_link_and_date():
    line = citation("Expo (CIIE)", "http://host/expo?edition=6", "abc123", "2026-11-25")
    assert line.startswith("Policy Lens, “Expo (CIIE)” (data version abc123)")
    assert line.endswith("http://host/expo?edition=6 (accessed 2026-11-25).")


def test_bibtex_carries_the_link_verbatim_and_escapes_text():
    entry = bibtex("Research & patents", "http://host/research?area=EU+%2B+UK", "v1", "2026-11-25")
    assert entry.startswith("@misc{policylens-research-patents-v1,")
    assert "howpublished = {\\url{http://host/research?area=EU+%2B+UK}}" in entry
    assert "Research \\& patents" in entry
    assert "year         = {2026}" in entry


def test_embed_snippet_adds_embed_and_present_and_escapes():
    from policylens.share import embed_snippet

    snippet = embed_snippet("http://h:8501", "/expo?edition=6")
    assert 'src="http://h:8501/expo?edition=6&amp;embed=true&amp;present=true"' in snippet
    assert embed_snippet("", "/voices").startswith('<iframe src="https://YOUR-HOST/voices?embed=true')
