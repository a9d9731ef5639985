#!/usr/bin/env bash
# Fails when a C file is not formatted as .clang-format says.
set -euo pipefail
cd "$(dirname "$0")/../.."
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
clang-format --dry-run --Werror $files
echo "format: ok ($(echo "$files" | wc -w) files)"
