"""The department workflow on a real (temporary) git repository: substantive diff,
ownership verdicts, CODEOWNERS, change history on pages, and the CI/pre-commit files."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator import schemadoc
from generator.cli import _parser, main
from generator.ownership import codeowners
from tests.conftest import REPO, SAMPLE_MATTERS, TODAY, Folder, build_site, dump, matter


class GitFolder(Folder):
    """A matters/ folder inside a fresh git repository."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.top = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str = "2026-01-01T10:00:00") -> str:
        env = dict(os.environ, GIT_AUTHOR_NAME="测试", GIT_AUTHOR_EMAIL="t@example.invalid",
                   GIT_COMMITTER_NAME="测试", GIT_COMMITTER_EMAIL="t@example.invalid",
                   GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        done = subprocess.run(["git", "-C", str(self.top), *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def commit(self, message: str, date: str = "2026-01-01T10:00:00") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path, monkeypatch) -> GitFolder:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GUIDE_TODAY", TODAY.isoformat())
    folder = GitFolder(tmp_path)
    folder.department("scjg", maintainers=["@shifanqu/scjg"])
    folder.department("gaj")
    folder.matter(department="scjg", id="kaidian", fees=[{"name": "工本费", "standard": "每证 10 元", "basis": "某文件"}],
                  channels=[{"type": "窗口办理"}], locations=[{"name": "东城窗口", "address": "示例市东城路 1 号"}])
    folder.matter(department="gaj", id="huzhao")
    folder.commit("初始")
    return folder


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


# --- guide diff -------------------------------------------------------------------------

def test_diff_describes_each_kind_of_change(repo, capsys):
    base = "HEAD"
    repo.matter(department="scjg", id="kaidian",
                time_limit={"case_type": "承诺件", "legal": {"value": 20, "unit": "工作日"},
                            "promised": {"value": 3, "unit": "工作日"}},
                visits=0,
                fees=[{"name": "工本费", "standard": "每证 5 元", "basis": "某文件"},
                      {"name": "邮寄费", "standard": "按实收取", "basis": "自愿选择"}],
                materials=[{"name": "居民身份证", "form": "复印件"}, {"name": "营业场所证明", "form": "原件"}],
                channels=[{"type": "窗口办理"}, {"type": "网上办理", "url": "https://zwfw.example/x"}],
                locations=[{"name": "东城窗口", "address": "示例市东城路 9 号"}],
                legal_basis=[{"law": "《中华人民共和国行政许可法》", "article": "第四十二条", "text": "条文。"},
                             {"law": "《市场主体登记管理条例》", "article": "第三条"}])
    code, out = run(capsys, "diff", base)
    assert code == 0
    for expected in [
        "修改 示范事项登记（kaidian）",
        "承诺时限：5 个工作日 → 3 个工作日",
        "到现场次数：最多跑一次 → 零跑动",
        "收费：新增“邮寄费：按实收取”",
        "收费：“工本费：每证 10 元”改为“工本费：每证 5 元”",
        "材料：新增“营业场所证明（原件 1 份，必要）”",
        "材料：“居民身份证（原件 1 份，必要）”改为“居民身份证（复印件 1 份，必要）”",
        "办理方式：新增“网上办理（https://zwfw.example/x）”",
        "办理地点：“东城窗口（示例市东城路 1 号）”改为“东城窗口（示例市东城路 9 号）”",
        "设定依据：新增“《市场主体登记管理条例》 第三条”",
        "共 1 个事项有实质变化。",
    ]:
        assert expected in out, (expected, out)
    assert "huzhao" not in out


def test_diff_reports_added_and_removed_matters_between_commits(repo, capsys):
    first = repo.git("rev-parse", "HEAD").strip()
    (repo.root / "gaj" / "huzhao.yaml").unlink()
    repo.matter(department="gaj", id="shenfenzheng", name="居民身份证换领")
    second = repo.commit("换事项")
    code, out = run(capsys, "diff", first, second)
    assert "删除 示范事项登记（huzhao）" in out and "新增 居民身份证换领（shenfenzheng）" in out


def test_pure_reformatting_is_no_change(repo, capsys):
    path = repo.root / "scjg" / "kaidian.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    reordered = dict(reversed(list(data.items())))
    text = "# 调整了顺序和引号\n" + yaml.safe_dump(reordered, allow_unicode=True, sort_keys=False, default_style='"')
    path.write_text(text, encoding="utf-8")
    code, out = run(capsys, "diff", "HEAD")
    assert code == 0 and "没有实质变化" in out


def test_diff_markdown_for_a_pull_request(repo, capsys):
    repo.matter(department="scjg", id="kaidian", name="开店<script>登记", fees=[])
    code, out = run(capsys, "diff", "HEAD", "--format", "markdown")
    assert out.startswith("### 事项变更")
    assert "**修改** 开店\\<script\\>登记（`kaidian`）" in out
    assert "- 收费：删除“工本费：每证 10 元”" in out


def test_diff_names_an_unknown_revision(repo, capsys):
    code, out = run(capsys, "diff", "no-such-branch")
    assert code == 2 and "找不到版本“no-such-branch”" in out


# --- guide check-ownership --------------------------------------------------------------

def test_a_change_inside_one_department_passes(repo, capsys):
    repo.matter(department="scjg", id="kaidian", visits=2)
    repo.commit("改跑动次数")
    code, out = run(capsys, "check-ownership", "--base", "HEAD~1", "--head", "HEAD")
    assert code == 0 and "涉及的部门：scjg" in out


def test_a_file_claiming_another_department_fails(repo, capsys):
    repo.write("scjg/qita.yaml", dump(matter(id="qita", department="gaj")))
    code, out = run(capsys, "check-ownership", "--base", "HEAD")  # working tree, untracked file
    assert code == 1
    assert "在部门“scjg”的目录中，却写明实施机关是“gaj”" in out


def test_moving_a_file_between_departments_fails(repo, capsys):
    shutil.move(repo.root / "gaj" / "huzhao.yaml", repo.root / "scjg" / "huzhao.yaml")
    repo.commit("移动")
    code, out = run(capsys, "check-ownership", "--base", "HEAD~1", "--head", "HEAD", "--allow-multi")
    assert code == 1 and "从部门“gaj”移到了部门“scjg”" in out


def test_several_departments_need_allow_multi(repo, capsys):
    repo.matter(department="scjg", id="kaidian", visits=2)
    repo.matter(department="gaj", id="huzhao", visits=2)
    repo.commit("两个部门")
    code, out = run(capsys, "check-ownership", "--base", "HEAD~1", "--head", "HEAD")
    assert code == 1 and "涉及多个部门：gaj、scjg" in out
    code, out = run(capsys, "check-ownership", "--base", "HEAD~1", "--head", "HEAD", "--allow-multi")
    assert code == 0


# --- CODEOWNERS and the cheat sheet -----------------------------------------------------

def test_codeowners_comes_from_the_department_files(repo, capsys):
    text = codeowners(repo.root, repo.top, ["@office"])
    assert "* @office" in text
    assert "/matters/scjg/ @shifanqu/scjg" in text
    assert "# /matters/gaj/ 未指定维护人" in text
    code, out = run(capsys, "codeowners", "--central", "@office")
    assert code == 0 and (repo.top / ".github" / "CODEOWNERS").read_text(encoding="utf-8") == text
    repo.department("gaj", maintainers=["@shifanqu/gaj"])
    code, out = run(capsys, "codeowners", "--central", "@office", "--check")
    assert code == 1 and "不是最新的" in out


def test_checked_in_codeowners_and_cheat_sheet_are_current():
    assert (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8") == codeowners(SAMPLE_MATTERS, REPO, ["@shifanqu/zwfw"])
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert schemadoc.updated(contributing) == contributing
    for key in ["materials", "time_limit", "legal_basis", "necessity", "maintainers", "review_by"]:
        assert f"`{key}`" in contributing


def test_maintainer_handles_are_validated(folder):
    folder.department(maintainers=["zhang san"])
    assert any(d.rule == "S-pattern" and "@" in d.message for d in folder.check().diagnostics)


def test_contributing_shows_real_validator_output(tmp_path, monkeypatch):
    """The example in CONTRIBUTING.md is what the validator really prints."""
    monkeypatch.setenv("GUIDE_TODAY", "2026-11-22")
    shutil.copytree(SAMPLE_MATTERS, tmp_path / "matters")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "matters" / "scjg" / "gtgsh-sl.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("materials:\n  - name: 个体工商户登记", "matrials:\n  - name: 个体工商户登记", 1)
                    .replace("promised: {value: 0, unit: 工作日}", "promised: {value: 5, unit: 工作日}"), encoding="utf-8")
    documented = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    shown = [line for line in documented.splitlines() if line.startswith("matters/scjg/gtgsh-sl.yaml:")]
    actual = subprocess.run([str(REPO / ".venv/bin/guide"), "validate", "matters/scjg/gtgsh-sl.yaml"],
                            capture_output=True, text=True).stdout if (REPO / ".venv/bin/guide").exists() else None
    if actual is None:
        pytest.skip("console script not installed")
    path.write_text(path.read_text(encoding="utf-8").replace("matrials:", "materials:"), encoding="utf-8")
    fixed = subprocess.run([str(REPO / ".venv/bin/guide"), "validate", "matters/scjg/gtgsh-sl.yaml"],
                           capture_output=True, text=True).stdout
    for line in shown:
        assert line in actual + fixed, line


# --- change history on the matter page --------------------------------------------------

def history_of(site: Path, matter_id: str) -> str:
    html = (site / "matters" / matter_id / "index.html").read_text(encoding="utf-8")
    return re.search(r'<h2 id="history">更新记录</h2>(.*?)</section>', html, re.S).group(1)


def test_history_lists_substantive_changes_newest_first(repo, tmp_path):
    repo.matter(department="scjg", id="kaidian", channels=[{"type": "窗口办理"}], locations=[
        {"name": "东城窗口", "address": "示例市东城路 1 号"}], fees=[{"name": "工本费", "standard": "每证 10 元", "basis": "某文件"}],
        time_limit={"case_type": "承诺件", "legal": {"value": 20, "unit": "工作日"}, "promised": {"value": 3, "unit": "工作日"}})
    repo.commit("缩短时限", date="2026-03-05T09:00:00")
    path = repo.root / "scjg" / "kaidian.yaml"
    path.write_text("# 只加了注释\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    repo.commit("格式", date="2026-04-01T09:00:00")
    site = tmp_path / "site"
    build_site(repo.root, site, with_pdf=False)
    history = history_of(site, "kaidian")
    entries = re.findall(r'<li><time datetime="([\d-]+)">[\d-]+</time>　(.*?)</li>', history)
    assert entries == [("2026-03-05", "承诺时限：5 个工作日 → 3 个工作日"), ("2026-01-01", "首次发布")]


def test_shallow_clone_shows_the_current_version_only(repo, tmp_path):
    repo.matter(department="scjg", id="kaidian", visits=2)
    repo.commit("第二次", date="2026-02-01T09:00:00")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.top}", str(clone)], check=True)
    site = tmp_path / "site-shallow"
    build_site(clone / "matters", site, with_pdf=False)
    assert "仅显示当前版本" in history_of(site, "kaidian")


def test_outside_git_the_page_still_builds(demo, tmp_path):
    site = tmp_path / "site"
    build_site(demo.root, site, with_pdf=False)
    assert "仅显示当前版本" in history_of(site, "demo-matter")


# --- CI and pre-commit files ------------------------------------------------------------

def guide_commands(run_text: str) -> list[list[str]]:
    commands = []
    for line in run_text.splitlines():
        line = re.sub(r"\$\{\{[^}]*\}\}", "X", line.split(">>")[0]).strip()
        if line.startswith("guide "):
            commands.append(shlex.split(line)[1:])
    return commands


def workflow(name: str) -> dict:
    data = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_pull_request_workflow_runs_every_check():
    data = workflow("pull-request.yml")
    assert "pull_request" in data["on"]
    steps = data["jobs"]["check"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    commands = guide_commands(runs)
    assert [c[0] for c in commands] == ["validate", "check-ownership", "diff", "build"]
    assert ["validate", "--format", "github"] in commands
    assert "$GITHUB_STEP_SUMMARY" in runs and "--format markdown" in runs
    assert any(step.get("with", {}).get("fetch-depth") == 0 for step in steps)
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "site/"
    for command in commands:
        _parser().parse_args(command)  # exits (fails the test) on a command the CLI does not accept


def test_main_workflow_builds_site_and_print_package():
    data = workflow("main.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    steps = data["jobs"]["build"]["steps"]
    commands = guide_commands("\n".join(step.get("run", "") for step in steps))
    assert {"build", "print", "validate", "codeowners", "schema-doc"} <= {c[0] for c in commands}
    artifacts = {s["with"]["name"] for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")}
    assert artifacts == {"site", "print-package"}
    for command in commands:
        _parser().parse_args(command)


def test_pre_commit_hooks_call_the_validator():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "guide-validate" and hooks[0]["entry"] == "guide validate"
    assert re.match(hooks[0]["files"], "matters/scjg/gtgsh-sl.yaml")
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [h["entry"] for r in config["repos"] for h in r["hooks"]]
    for entry in entries:
        words = shlex.split(entry)
        assert words[0] == ".venv/bin/guide"
        _parser().parse_args(words[1:] + (["matters/scjg/gtgsh-sl.yaml"] if words[1] == "validate" else []))
