#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the project needs, only when they are missing.
# Usage: scripts/system-packages.sh site|test
#   site: fonts for the 明白纸 (Noto CJK)
#   test: the above plus Chromium for browser tests and poppler-utils (pdffonts, pdftoppm)
set -euo pipefail

wanted=(fonts-noto-cjk)
if [[ "${1:-site}" == "test" ]]; then
  wanted+=(chromium poppler-utils)
fi

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "缺少系统软件包：${missing[*]}。本机没有 apt-get，请用系统的包管理器安装它们。" >&2
  exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "缺少系统软件包：${missing[*]}。请以 root 身份运行：apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "安装系统软件包：${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
