"""Progress shows on a terminal and stays silent in CI and pipes."""

from __future__ import annotations

import io

from generator.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_silent_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(stream)
    progress.stage("生成页面")
    progress.step(25, 100)
    timings = progress.done()
    assert stream.getvalue() == "" and set(timings) == {"生成页面"}


def test_silent_in_ci_even_on_a_terminal(monkeypatch):
    monkeypatch.setenv("CI", "true")
    stream = Terminal()
    Progress(stream).stage("生成页面")
    assert stream.getvalue() == ""


def test_visible_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    progress = Progress(stream)
    progress.stage("生成明白纸")
    progress.step(50, 100)
    progress.stage("建立搜索索引")
    timings = progress.done()
    assert "生成明白纸… 50/100" in stream.getvalue() and "建立搜索索引" in stream.getvalue()
    assert list(timings) == ["生成明白纸", "建立搜索索引"]
