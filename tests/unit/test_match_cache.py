"""The matcher's cache files are replaced whole or not at all."""

from __future__ import annotations

import pytest

from reception.matching.cache import read_pickle, write_pickle, write_text


class Unpicklable:
    def __reduce__(self):  # noqa: ANN204
        raise TypeError("cannot be cached")


def test_a_failed_write_keeps_the_old_cache_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "cache" / "index.pickle"
    write_pickle(path, {"built": 1})
    with pytest.raises(TypeError):
        write_pickle(path, {"built": 2, "part": Unpicklable()})
    assert read_pickle(path) == {"built": 1}
    assert [p.name for p in path.parent.iterdir()] == ["index.pickle"]


def test_two_writers_of_one_cache_do_not_share_a_temporary_file(tmp_path):
    # Two processes building the same index at once each write their own temporary file: with one shared
    # name, the second rename found the file already moved and the build failed.
    path = tmp_path / "cache" / "words.txt"
    from reception.matching import cache

    path.parent.mkdir()
    with cache._replacing(path) as first, cache._replacing(path) as second:
        assert first.name != second.name
        first.write("甲".encode())
        second.write("乙".encode())
    assert path.read_text(encoding="utf-8") in {"甲", "乙"}
    assert [p.name for p in path.parent.iterdir()] == ["words.txt"]
    write_text(path, "丙")
    assert path.read_text(encoding="utf-8") == "丙"
