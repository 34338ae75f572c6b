#!/usr/bin/env bash
# mkdump.sh makes a dump of N distinct text documents from the corpus's text
# inputs, for the batch benchmark (bench/batch.sh) or for trying
# "emend batch" by hand.
#
#   bench/mkdump.sh DIR [N]        # N defaults to 10000
#   CORPUS=DIR PER_DIR=500 bench/mkdump.sh /tmp/dump 30000
#
# The sources are every */*.txt of the corpus but hyphens.txt (pdftotext
# output with and without -layout, the flattened, ODS and OCR seeds), taken
# in turn. Document i is source i mod S with one line added, "Document
# 000042.", so that every document has its own content (and SHA-256): it
# goes before the final form feed of a pdftotext file, and after the last
# line of the others. Documents are spread over folders of PER_DIR files
# (default 500): DIR/d000/doc000000.txt, DIR/d000/doc000001.txt, ...
# DIR/d001/doc000500.txt. Base names are unique over the whole dump, so
# "emend clean -o OUT" can take every file at once without renaming any.
#
# DIR must not exist, or be empty. The last line of output is
# "N documents, BYTES bytes, PAGES pages in DIR" (pages are form-feed
# pages; a file without form feeds counts as one).

set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$root/../shared/corpus}
per_dir=${PER_DIR:-500}

die() { echo "bench/mkdump.sh: $*" >&2; exit 1; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then die "usage: bench/mkdump.sh DIR [N]"; fi
dir=$1
n=${2:-10000}
case $n in '' | *[!0-9]*) die "N must be a number, not $n" ;; esac
case $per_dir in '' | *[!0-9]* | 0) die "PER_DIR must be a positive number, not $per_dir" ;; esac
[ -d "$corpus" ] || die "no corpus at $corpus (set CORPUS=DIR)"
if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
	die "$dir exists and is not empty"
fi

# Load the sources once; every document is then written by bash builtins,
# without a process per file.
srcs=() heads=() tails=() sizes=() pages=()
for f in "$corpus"/*/*.txt; do
	[ -s "$f" ] || continue
	[ "$(basename "$f")" = hyphens.txt ] && continue
	body=""
	IFS= read -r -d '' body <"$f" || true # read stops at EOF (no NUL in text)
	[ ${#body} -gt 0 ] || continue
	p=$(tr -cd '\f' <"$f" | wc -c)
	[ "$p" -gt 0 ] || p=1
	# The added line goes before a final form feed, else after the text.
	if [ "${body: -1}" = $'\f' ]; then
		heads+=("${body%$'\f'}")
		tails+=($'\f')
	elif [ "${body: -1}" = $'\n' ]; then
		heads+=("$body")
		tails+=("")
	else
		heads+=("$body"$'\n')
		tails+=("")
	fi
	b=$(wc -c <"$f")
	[ "${body: -1}" = $'\f' ] || [ "${body: -1}" = $'\n' ] || b=$((b + 1)) # the newline added
	srcs+=("$f") sizes+=("$b") pages+=("$p")
done
s=${#srcs[@]}
[ "$s" -gt 0 ] || die "no text inputs (*/*.txt) under $corpus"

mkdir -p "$dir"
bytes=0 total_pages=0
for ((i = 0; i < n; i++)); do
	k=$((i % s))
	printf -v sub 'd%03d' $((i / per_dir))
	[ $((i % per_dir)) -ne 0 ] || mkdir -p "$dir/$sub"
	printf -v line 'Document %06d.\n' "$i"
	printf -v name 'doc%06d.txt' "$i"
	printf '%s%s%s' "${heads[$k]}" "$line" "${tails[$k]}" >"$dir/$sub/$name"
	bytes=$((bytes + sizes[k] + ${#line}))
	total_pages=$((total_pages + pages[k]))
done
echo "$n documents, $bytes bytes, $total_pages pages in $dir"
