"""`guide new`: write a commented template for a new matter.

The template is valid YAML whose blanks ("") fail validation until the clerk fills them,
so a half-finished file can never be published by accident.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from .check import DEPARTMENT_FILE
from .diagnostics import UsageError
from .load import display_path

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

TEMPLATE = """\
# yaml-language-server: $schema=../../schema/matter.schema.json
# 办事指南：{name}
# 请把所有 "" 替换为实际内容；不需要的可选字段可以删除。
# 写完后运行：guide validate {display}

id: {id}                       # 事项标识，与文件名相同，发布后不要修改
name: {name_yaml}                 # 事项的法定名称
aliases: []                    # 群众的叫法，如 [低保, 申请低保]
type: 行政许可                 # 可选：行政许可 行政确认 行政给付 行政奖励 行政裁决 行政征收 行政备案 其他行政权力 公共服务
audience: [自然人]             # 可多选：自然人 企业法人 事业法人 社会组织法人 非法人企业 行政机关 其他组织
topics: []                     # 服务主题，如 [户籍办理]
level: 县级                    # 可选：国家级 省级 市级 县级 镇(乡、街道)级 分级管理
department: {department}       # 部门代码，与目录名相同

summary: ""                    # 一段大白话：谁需要办、为什么要办

conditions:                    # 受理条件，逐条写，不要写“规定的其他条件”
  - ""

legal_basis:                   # 设定依据，写明条款
  - law: ""                    # 如《中华人民共和国行政许可法》
    article: ""                # 如 第四十二条
    text: ""                   # 条款原文

materials:                     # 申请材料（一次性告知，一件都不能漏）
  - name: ""
    form: 原件                 # 原件 复印件 原件和复印件 原件或复印件 电子文件
    copies: 1
    source: 申请人自备         # 申请人自备 政府部门核发 其他；政府部门核发时加 issuer: 出具单位

process:                       # 办理流程，按顺序
  - name: 申请与受理
    description: ""
  - name: 审查与决定
    description: ""

time_limit:
  case_type: 承诺件            # 即办件（当场办结，承诺时限填 0）或 承诺件
  promised: {{value: 5, unit: 工作日}}   # 承诺时限，不得超过法定时限
  # legal: {{value: 20, unit: 工作日}}   # 法定时限；没有法定时限时删除这一行

visits: 1                      # 最多到现场几次：0 零跑动，1 最多跑一次
visit_reason: ""               # 为什么要到现场；visits 为 0 时删除这一行

channels:                      # 办理形式：窗口办理 网上办理 快递申请 自助终端 移动端
  - type: 窗口办理

fees: []                       # 不收费。收费时写成：
#  - name: 证件工本费
#    standard: 每证 20 元
#    amount: 20
#    basis: 收费依据文件名称及文号

result:
  name: ""                     # 办结后拿到什么，如 营业执照
  type: 证照                   # 证照 批文 其他 无

# 办理地点、咨询方式、投诉方式、救济途径不写时使用部门（_department.yaml）的设置。

updated: {today}               # 更新日期 YYYY-MM-DD
"""


def create_matter(matters_dir: Path, department: str, matter_id: str, name: str, today: dt.date) -> Path:
    """Write the template and return its path. Raises UsageError instead of overwriting."""
    if not ID_PATTERN.match(matter_id) or len(matter_id) > 64:
        raise UsageError(f"事项标识“{matter_id}”不合规：只能由小写字母、数字和连字符组成，最长 64 个字符，如 gtgsh-sl。")
    folder = matters_dir / department
    if not (folder / DEPARTMENT_FILE).is_file():
        known = sorted(p.parent.name for p in matters_dir.glob(f"*/{DEPARTMENT_FILE}"))
        raise UsageError(f"部门“{department}”不存在（没有 {display_path(folder / DEPARTMENT_FILE)}）。"
                     f"已有的部门：{'、'.join(known) or '无'}。")
    target = folder / f"{matter_id}.yaml"
    if target.exists():
        raise UsageError(f"{display_path(target)} 已存在，不会覆盖。请直接编辑该文件，或换一个事项标识。")
    name = " ".join(name.split())
    target.write_text(TEMPLATE.format(id=matter_id, name=name, name_yaml=json.dumps(name, ensure_ascii=False),
                                      department=department,
                                      today=today.isoformat(), display=display_path(target)), encoding="utf-8")
    return target
