"""The `guide` command: formats, exit codes, file selection, `guide new`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from generator.cli import main
from tests.conftest import REPO, TODAY


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("GUIDE_TODAY", TODAY.isoformat())


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_valid_folder_exits_zero_with_a_summary(demo, capsys):
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert out.strip() == "检查了 2 个文件：0 个错误，0 个警告。通过。"


def test_warnings_do_not_fail_unless_strict(demo, capsys):
    demo.matter(legal_basis=[{"law": "《婚姻登记条例》"}])
    code, out, _ = run(capsys, "validate")
    assert code == 0 and "警告 [R-basis-without-article]" in out and "1 个警告" in out
    code, _, _ = run(capsys, "validate", "--strict")
    assert code == 1


def test_errors_exit_one(demo, capsys):
    demo.matter(visits=0)
    code, out, _ = run(capsys, "validate")
    assert code == 1
    assert re.search(r"^matters/demo/demo-matter\.yaml:\d+:\d+: 错误 \[R-zero-visit-without-remote-channel\] 到现场次数 › ", out, re.M)
    assert "未通过" in out


def test_usage_errors_exit_two_in_chinese(demo, capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate", "--format", "xml"])
    assert info.value.code == 2
    assert "用法错误" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["validate", "--bogus"])
    assert info.value.code == 2


def test_missing_folder_is_an_error_not_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "validate", "--matters", "nowhere")
    assert code == 1 and "找不到事项目录" in err


def test_github_format_prints_annotations(demo, capsys):
    demo.matter(visits=0, legal_basis=[{"law": "《条例》"}])
    code, out, _ = run(capsys, "validate", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith("::error file=matters/demo/demo-matter.yaml,line=") and "title=错误 R-zero-visit-without-remote-channel::" in line for line in lines)
    assert any(line.startswith("::warning file=matters/demo/demo-matter.yaml,") for line in lines)


def test_json_format_is_machine_readable(demo, capsys):
    demo.matter(visits=0)
    code, out, _ = run(capsys, "validate", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["files"] == 2 and data["errors"] == 1
    (d,) = data["diagnostics"]
    assert d["rule"] == "R-zero-visit-without-remote-channel" and d["severity"] == "error" and d["line"] > 1


def test_paths_select_what_is_reported_but_references_still_resolve(demo, capsys):
    demo.matter(id="second", prerequisites=["demo-matter"], legal_basis=[{"law": "《条例》"}])
    demo.matter(visits=0)  # an error in the other file
    code, out, _ = run(capsys, "validate", "matters/demo/second.yaml")
    assert code == 0, out
    assert "second.yaml" in out and "demo-matter.yaml" not in out
    assert "检查了 1 个文件" in out
    code, out, _ = run(capsys, "validate", "matters/demo")
    assert code == 1 and "检查了 3 个文件" in out


def test_paths_outside_the_folder_are_a_usage_error(demo, tmp_path, capsys):
    (tmp_path / "stray.yaml").write_text("id: x\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", "stray.yaml")
    assert code == 2 and "不在事项目录" in err


def test_matters_option_takes_any_folder(demo, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)
    code, out, _ = run(capsys, "validate", "--matters", str(demo.root))
    assert code == 0 and "检查了 2 个文件" in out


def test_new_writes_a_template_that_validates_once_filled(demo, capsys):
    code, out, _ = run(capsys, "new", "--department", "demo", "--id", "xin-shixiang", "--name", "新事项登记")
    assert code == 0 and "matters/demo/xin-shixiang.yaml" in out
    path = demo.root / "demo" / "xin-shixiang.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/matter.schema.json")
    assert yaml.safe_load(text)["name"] == "新事项登记"

    code, out, _ = run(capsys, "validate")
    assert code == 1, "an unfilled template must not pass"
    assert "不能为空" in out

    path.write_text(text.replace('""', '"示范内容"'), encoding="utf-8")
    code, out, _ = run(capsys, "validate")
    assert code == 0, out


def test_new_refuses_to_overwrite(demo, capsys):
    code, _, err = run(capsys, "new", "--department", "demo", "--id", "demo-matter", "--name", "x")
    assert code == 2 and "已存在，不会覆盖" in err


def test_new_rejects_unknown_department_and_bad_id(demo, capsys):
    code, _, err = run(capsys, "new", "--department", "nope", "--id", "x", "--name", "x")
    assert code == 2 and "部门“nope”不存在" in err and "demo" in err
    code, _, err = run(capsys, "new", "--department", "demo", "--id", "Bad_Id", "--name", "x")
    assert code == 2 and "不合规" in err


def test_new_quotes_names_safely(demo, capsys):
    run(capsys, "new", "--department", "demo", "--id", "quoted", "--name", 'A: "B" # C \\ D')
    data = yaml.safe_load((demo.root / "demo" / "quoted.yaml").read_text(encoding="utf-8"))
    assert data["name"] == 'A: "B" # C \\ D'


@pytest.mark.parametrize("command", [[sys.executable, "-m", "generator"], [str(REPO / ".venv/bin/guide")]])
def test_runs_as_a_module_and_a_console_script(command, demo):
    if not os.path.exists(command[0]):
        pytest.skip("console script not installed in this environment")
    demo.write("demo/broken.yaml", "id: a\nname: 甲\nname: 乙\n")
    env = dict(os.environ, GUIDE_TODAY=TODAY.isoformat())
    done = subprocess.run(command + ["validate"], capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert "matters/demo/broken.yaml:3:1: 错误 [L-duplicate-key]" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
