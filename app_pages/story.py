"""Story: an ordered deck of live slides for presenting the article's evidence in a meeting."""

from components.story import story_page

story_page()
