"""办事指南生成器 (banshi guide generator).

Pipeline, one way: load (YAML with line numbers) → schema → model (department defaults
merged) → rules → renderers (pages, sheets, data) → build. See README.md.
"""

__version__ = "0.1.0"
