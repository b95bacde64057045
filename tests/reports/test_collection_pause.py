"""Drawing a PDF pauses Python's cycle collector, and always gives it back as it found it."""

from __future__ import annotations

import gc
import threading

import pytest

from reports import render


@pytest.fixture(autouse=True)
def collector_as_found():
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


def test_the_collector_pauses_while_drawing_and_resumes_after():
    gc.enable()
    with render.collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_resumes_even_when_drawing_fails():
    gc.enable()
    with pytest.raises(RuntimeError), render.collection_paused():
        raise RuntimeError("the renderer fell over")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    with render.collection_paused():
        pass
    assert not gc.isenabled()


def test_renders_in_two_threads_resume_collection_only_when_both_end():
    gc.enable()
    first_inside, second_done, seen = threading.Event(), threading.Event(), []

    def first():
        with render.collection_paused():
            first_inside.set()
            second_done.wait(5)
            seen.append(gc.isenabled())  # the second ended meanwhile: still paused

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(5)
    with render.collection_paused():
        pass
    second_done.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()
