"""The `guide` command. Every message is Chinese; exit codes: 0 ok, 1 data errors, 2 usage errors.

No traceback ever reaches a clerk: data problems are diagnostics, usage problems are one
Chinese line, and anything unexpected is reported as an internal error with a hint.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import report
from .check import CheckResult, check_folder, today
from .diagnostics import BuildError, GuideError, UsageError
from .load import display_path

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
REPO = Path(__file__).resolve().parent.parent

_ARGPARSE_WORDS = [
    ("the following arguments are required", "缺少必需的参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("invalid choice", "无效的选项"),
    ("expected one argument", "需要一个参数值"),
    ("argument ", "参数 "),
    ("choose from", "可选"),
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        for english, chinese in _ARGPARSE_WORDS:
            message = message.replace(english, chinese)
        self.exit(EXIT_USAGE, f"{self.prog}：用法错误：{message}\n请运行 {self.prog} --help 查看用法。\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="guide", description="办事指南生成器：校验事项文件，生成网站和明白纸。")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--matters", type=Path, default=Path("matters"), metavar="DIR",
                         help="事项目录（默认 matters）")
        return sub

    validate = add("validate", "校验事项文件")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help="只报告这些文件或目录中的问题（默认整个事项目录）")
    validate.add_argument("--format", choices=report.FORMATS, default="text",
                          help="输出格式：text 文本（默认）、github 流水线注释、json")
    validate.add_argument("--strict", action="store_true", help="有警告也视为失败")

    build = add("build", "校验并生成网站（含明白纸 PDF）")
    _add_build_options(build)
    build.add_argument("--no-pdf", action="store_true", help="不生成明白纸 PDF（更快，用于预览页面）")

    printing = add("print", "生成给印刷厂的明白纸印刷包（出血、裁切框、部门汇编、归档版、清单）")
    printing.add_argument("--out", type=Path, default=Path("print"), metavar="DIR", help="输出目录（默认 print）")
    printing.add_argument("--site-url", default=os.environ.get("GUIDE_SITE_URL", DEFAULT_SITE_URL), metavar="URL",
                          help="网站的正式地址，用于二维码")
    printing.add_argument("--bleed", type=_bleed, default=3.0, metavar="MM", help="出血，单位毫米（默认 3）")
    printing.add_argument("--marks", action="store_true", help="加裁切线（画在出血区以外）")

    diff = add("diff", "比较两个版本的事项，列出实质变化（时限、收费、材料、跑动次数……）")
    diff.add_argument("base", metavar="BASE", help="原来的版本（分支、标签或提交号）")
    diff.add_argument("head", nargs="?", metavar="HEAD", help="新的版本（默认为当前工作目录中的文件）")
    diff.add_argument("--format", choices=("text", "markdown"), default="text", help="text 文本（默认）或 markdown（用于合并请求评论）")

    ownership = add("check-ownership", "检查一次修改是否只涉及本部门的事项")
    ownership.add_argument("--base", required=True, metavar="REV", help="合并请求的目标分支或提交，如 origin/main")
    ownership.add_argument("--head", default=None, metavar="REV", help="要检查的版本（默认为当前工作目录）")
    ownership.add_argument("--allow-multi", action="store_true", help="允许一次修改多个部门（政务服务管理办公室使用）")

    owners = add("codeowners", "根据部门文件中的 maintainers 生成 .github/CODEOWNERS")
    owners.add_argument("--out", type=Path, default=None, metavar="FILE", help="输出文件（默认为仓库根目录的 .github/CODEOWNERS）")
    owners.add_argument("--central", action="append", default=[], metavar="@HANDLE",
                        help="审核其余文件的账号（政务服务管理办公室），可重复")
    owners.add_argument("--check", action="store_true", help="只检查已提交的文件是否最新")

    doc = add("schema-doc", "根据 schema/ 重新生成 CONTRIBUTING.md 中的字段速查表")
    doc.add_argument("--out", type=Path, default=REPO / "CONTRIBUTING.md", metavar="FILE", help="要更新的文件")
    doc.add_argument("--check", action="store_true", help="只检查速查表是否最新")

    new = add("new", "按模板新建一个事项文件")
    new.add_argument("--department", required=True, metavar="D", help="部门代码，如 scjg")
    new.add_argument("--id", required=True, metavar="ID", help="事项标识，如 gtgsh-sl")
    new.add_argument("--name", required=True, metavar="NAME", help="事项名称")
    return parser


DEFAULT_SITE_URL = "https://banshi.shifanqu.example/"


def _add_build_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="输出目录（默认 site）")
    sub.add_argument("--site-url", default=os.environ.get("GUIDE_SITE_URL", DEFAULT_SITE_URL), metavar="URL",
                     help="网站的正式地址，二维码和站内链接以它为准（默认取环境变量 GUIDE_SITE_URL）")
    sub.add_argument("--config", type=Path, default=None, metavar="FILE",
                     help="网站设置文件（默认当前目录的 mkdocs.yml，没有时用本项目自带的）")
    sub.add_argument("--cache", type=Path, default=Path(".cache"), metavar="DIR",
                     help="缓存目录：内容未变的明白纸和搜索索引不重新生成（默认 .cache，不在网站目录内）")


def _bleed(value: str) -> float:
    try:
        mm = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"出血应为毫米数，如 3，而不是“{value}”") from None
    if not 0 <= mm <= 10:
        raise argparse.ArgumentTypeError("出血应在 0 到 10 毫米之间")
    return mm


def _config_path(given: Path | None) -> Path:
    if given is not None:
        if not given.is_file():
            raise UsageError(f"找不到网站设置文件 {given}。")
        return given
    here = Path("mkdocs.yml")
    return here if here.is_file() else REPO / "mkdocs.yml"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"guide {args.command}：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except GuideError as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERRORS
    except BuildError as exc:
        print(f"guide {args.command}：{exc}", file=sys.stderr)
        print("构建已停止，原有的输出目录没有改动。", file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


def cmd_validate(args) -> int:
    result = check_folder(args.matters)
    diagnostics, files = _select(result, args.paths, args.matters)
    report.write(diagnostics, files, args.format, sys.stdout)
    errors = any(d.is_error for d in diagnostics)
    warnings = any(not d.is_error for d in diagnostics)
    return EXIT_ERRORS if errors or (args.strict and warnings) else EXIT_OK


def _select(result: CheckResult, paths: list[Path], matters_dir: Path):
    """Keep only diagnostics for the given files or folders (the whole folder is still checked,
    so references to matters elsewhere resolve)."""
    if not paths:
        return result.diagnostics, result.files
    root = matters_dir.resolve()
    wanted = []
    for path in paths:
        resolved = path.resolve()
        if not path.exists():
            raise UsageError(f"找不到 {path}。")
        if resolved != root and root not in resolved.parents:
            raise UsageError(f"{path} 不在事项目录 {display_path(matters_dir)} 中。请用 --matters 指定它所在的事项目录。")
        wanted.append(resolved)

    def selected(file: str) -> bool:
        resolved = Path(file).resolve()
        return any(resolved == w or w in resolved.parents for w in wanted)

    files = sum(1 for p in root.rglob("*.y*ml") if selected(str(p)))
    return [d for d in result.diagnostics if selected(d.file)], files


def cmd_build(args) -> int:
    from .build import BuildOptions, build
    from .progress import Progress

    options = BuildOptions(matters=args.matters, out=args.out, site_url=args.site_url,
                           config=_config_path(args.config), with_pdf=not args.no_pdf, cache=args.cache)
    started = time.perf_counter()
    result = build(options, Progress())
    checked = result.check
    report.write(checked.diagnostics, checked.files, "text", sys.stdout)
    if checked.errors:
        print(f"有错误，没有生成网站；{display_path(args.out)} 保持原样。", file=sys.stderr)
        return EXIT_ERRORS
    print(f"已生成网站：{display_path(args.out)}（{result.pages} 个页面，用时 {time.perf_counter() - started:.1f} 秒）。")
    return EXIT_OK


def cmd_print(args) -> int:
    from .printshop import build_package
    from .progress import Progress

    result = build_package(args.matters, args.out, args.site_url, args.bleed, args.marks, progress=Progress())
    checked = result.check
    report.write(checked.diagnostics, checked.files, "text", sys.stdout)
    if checked.errors:
        print(f"有错误，没有生成印刷包；{display_path(args.out)} 保持原样。", file=sys.stderr)
        return EXIT_ERRORS
    kinds = {kind: sum(r.kind == kind for r in result.rows) for kind in ("sheet", "booklet", "archive")}
    print(f"已生成印刷包：{display_path(args.out)}（明白纸 {kinds['sheet']} 份，部门汇编 {kinds['booklet']} 册，"
          f"归档版 {kinds['archive']} 份；清单 manifest.csv / manifest.json）。")
    return EXIT_OK


def cmd_diff(args) -> int:
    from .diff import compare, models_at, render_markdown, render_text
    from .gitrepo import Repo

    with Repo(args.matters) as repo:
        old = models_at(repo, repo.resolve(args.base), args.matters)
        new = models_at(repo, repo.resolve(args.head) if args.head else None, args.matters)
    diffs = compare(old, new)
    sys.stdout.write(render_markdown(diffs) if args.format == "markdown" else render_text(diffs))
    return EXIT_OK


def cmd_check_ownership(args) -> int:
    from .ownership import check_ownership

    result = check_ownership(args.matters, args.base, args.head, args.allow_multi)
    for problem in result.problems:
        print(f"错误：{problem}")
    if result.problems:
        print(f"归属检查未通过：{len(result.problems)} 个问题。")
        return EXIT_ERRORS
    touched = "、".join(sorted(result.departments)) or "无"
    print(f"归属检查通过。涉及的部门：{touched}。")
    return EXIT_OK


def cmd_codeowners(args) -> int:
    from .ownership import codeowners, repo_root_of

    root = repo_root_of(args.matters)
    target = args.out or root / ".github" / "CODEOWNERS"
    return write_or_check(target, codeowners(args.matters, root, args.central), args.check, "codeowners")


def cmd_schema_doc(args) -> int:
    from .schemadoc import updated

    if not args.out.is_file():
        raise UsageError(f"找不到 {args.out}。")
    try:
        content = updated(args.out.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return write_or_check(args.out, content, args.check, "schema-doc")


def cmd_new(args) -> int:
    from .new import create_matter

    path = create_matter(args.matters, args.department, args.id, args.name, today())
    print(f"已创建 {display_path(path)}。请填写其中所有 \"\" 的内容，然后运行：guide validate {display_path(path)}")
    return EXIT_OK


def write_or_check(target: Path, content: str, check: bool, what: str) -> int:
    """Write a generated file, or with `check` report whether the checked-in copy is current."""
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != content:
            print(f"{display_path(target)} 不是最新的。请运行 guide {what} 重新生成并提交。")
            return 1
        print(f"{display_path(target)} 是最新的。")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    print(f"已写入 {display_path(target)}。")
    return 0


COMMANDS = {
    "validate": cmd_validate,
    "build": cmd_build,
    "print": cmd_print,
    "diff": cmd_diff,
    "check-ownership": cmd_check_ownership,
    "codeowners": cmd_codeowners,
    "schema-doc": cmd_schema_doc,
    "new": cmd_new,
}


def run() -> None:
    """Console-script entry point."""
    try:
        code = main()
    except Exception as exc:  # a bug of ours, not the user's: say so plainly, without a traceback
        print(f"guide：内部错误（{type(exc).__name__}: {exc}）。这不是您的数据问题，请把这条信息报告给维护者。"
              "设置环境变量 GUIDE_DEBUG=1 可查看详细信息。", file=sys.stderr)
        if os.environ.get("GUIDE_DEBUG"):
            raise
        code = 70
    sys.exit(code)
