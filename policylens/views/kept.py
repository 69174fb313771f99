"""Built views kept per page, parameters and data version, for every output in the process: the live page, the first
paint the server writes into a link's HTML, and the warm-up before the server serves.

A view is a value of its page, parameters and data: built once, drawn for every session that asks for it again (a
click back, a second visitor, the slide of a page). Research's build is about 160 ms of pandas; a repeat is free.
Drawing never changes a view (chart cards copy their figure), so one View serves every session.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Hashable

from policylens.lru import Lru
from policylens.views.base import Data, Page, Params, View

VIEWS_KEPT = 64

# One build of a view at a time: the sessions that ask for the same new view at once (a shared link opened in a
# meeting, ten viewers clicking the same bar) wait for the first build and take it, instead of each building their own
# (50 sessions clicking at once built each new view ten times). Builds are CPU work under one interpreter lock, so
# serialising the ones that share a lock costs little. A view built inside another's build (a slide's page, inside
# the slide) takes no lock: a thread never waits for a lock while it holds one, so two builds cannot wait for each
# other.
BUILD_LOCKS = tuple(threading.Lock() for _ in range(16))
_building = threading.local()


class KeptViews:
    """At most ``size`` built views, the one used longest ago out first; counts hits and builds (tests read them)."""

    def __init__(self, size: int):
        self.views = Lru(size)
        self.hits = 0
        self.builds = 0
        self._count = threading.Lock()

    def get_or_build(self, key: Hashable, entry: Page, params: Params, source: Data) -> View:
        if getattr(_building, "inside", False):
            return self._get_or_build(key, entry, params, source)
        with BUILD_LOCKS[hash(key) % len(BUILD_LOCKS)]:
            _building.inside = True
            try:
                return self._get_or_build(key, entry, params, source)
            finally:
                _building.inside = False

    def _get_or_build(self, key: Hashable, entry: Page, params: Params, source: Data) -> View:
        view = self.views.get(key)
        with self._count:
            if view is None:
                self.builds += 1
            else:
                self.hits += 1
        if view is None:
            view = self.views.remember(key, entry.build(params, source))
        return view

    def clear(self) -> None:
        self.views.clear()
        with self._count:
            self.hits = self.builds = 0


kept = KeptViews(VIEWS_KEPT)


def built(entry: Page, params: Params, source: Data) -> View:
    """``entry.build(params, source)``, kept per page, parameters and data version (and folder). A page that cannot
    be built (``Unavailable``) is not kept: it says so again on the next run, and works as soon as its data does."""
    try:
        hash(params)
    except TypeError:  # parameters that cannot be a key (none today): build as before
        return entry.build(params, source)
    shape = params.view_key()  # what the view depends on (the story's slide, not the room a window follows)
    key = (entry.id, shape, source.version, str(source.data_dir))
    view = kept.get_or_build(key, entry, shape, source)
    if shape is not params:  # the same view, asked for by a link that differs where the view does not look
        view = dataclasses.replace(view, params=view.params.with_link_of(params))
    elif view.params.dropped != params.dropped:  # the same view, asked for by a link that carried other junk
        view = dataclasses.replace(view, params=dataclasses.replace(view.params, dropped=params.dropped))
    return view
