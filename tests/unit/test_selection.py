from policylens.selection import point_id, selected_ids


def test_point_id_reads_list_and_dict_custom_data():
    assert point_id({"customdata": ["6"]}) == "6"
    assert point_id({"customdata": {"0": 6}}) == "6"  # numeric custom data arrives as a dict (streamlit-notes.md)
    assert point_id({"customdata": ["China", "x"]}, 1) == "x"
    assert point_id({"x": 1}) is None


def test_selected_ids_keeps_order_and_drops_duplicates():
    state = {"selection": {"points": [{"customdata": ["7"]}, {"customdata": {"0": 6}}, {"customdata": ["7"]}]}}
    assert selected_ids(state) == ["7", "6"]
    assert selected_ids({"selection": {"points": []}}) == []
    assert selected_ids(None) == []


def test_a_click_toggles_one_id_and_a_box_replaces():
    from policylens.selection import apply_click

    assert apply_click([], ["6"]) == ["6"]
    assert apply_click(["6"], ["7"]) == ["6", "7"]  # shift-click after the reset adds
    assert apply_click(["6", "7"], ["6"]) == ["7"]  # clicking a selected mark removes it
    assert apply_click(["6"], ["2", "3"]) == ["2", "3"]
    assert apply_click(["6"], []) == ["6"]
