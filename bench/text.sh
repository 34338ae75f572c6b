#!/usr/bin/env bash
# text.sh times the whole emend CLI on the corpus's text inputs and, in the
# same run, pdftotext on the PDFs those inputs came from, as the peer
# baseline. See bench/README.md.
#
#   bench/text.sh                 # corpus at ../shared/corpus beside the module
#   CORPUS=DIR REPEAT=5 ROUNDS=20 bench/text.sh
#
# It reports; it never fails on a timing. It exits non-zero only when it
# cannot run at all (no Go, no corpus, emend does not build or fails).

set -u

root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$root/../shared/corpus}
repeat=${REPEAT:-3} # runs of each measurement; the fastest counts
rounds=${ROUNDS:-20} # times the input list is given to one "all files" run
export PATH="$PATH:/usr/local/go/bin"

die() { echo "bench/text.sh: $*" >&2; exit 1; }

[ -d "$corpus" ] || die "no corpus at $corpus (set CORPUS=DIR)"
command -v go >/dev/null || die "go is not on PATH (Go lives in /usr/local/go/bin)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/emend-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && go build -o "$tmp/emend" ./cmd/emend) || die "go build ./cmd/emend failed"
version=$(cd "$root" && git describe --always --dirty 2>/dev/null || echo unknown)

# Stage the inputs under unique names: every case calls them text.txt and
# layout.txt, and "emend clean -o DIR" names outputs after the input.
mkdir -p "$tmp/in" "$tmp/out"
inputs=() pdfs=() modes=()
for f in "$corpus"/*/text.txt "$corpus"/*/layout.txt; do
	[ -f "$f" ] || continue
	case_name=$(basename "$(dirname "$f")")
	kind=$(basename "$f" .txt)
	cp "$f" "$tmp/in/$case_name-$kind.txt"
	inputs+=("$tmp/in/$case_name-$kind.txt")
	pdf=$(dirname "$f")/text.pdf
	if [ -f "$pdf" ]; then
		pdfs+=("$pdf")
		if [ "$kind" = layout ]; then modes+=(layout); else modes+=(text); fi
	fi
done
[ ${#inputs[@]} -gt 0 ] || die "no */text.txt or */layout.txt under $corpus"

# Size and pages of the inputs: pdftotext ends every page with a form feed.
bytes=0 pages=0
for f in "${inputs[@]}"; do
	b=$(wc -c <"$f")
	p=$(tr -cd '\f' <"$f" | wc -c)
	[ "$p" -gt 0 ] || p=1
	bytes=$((bytes + b))
	pages=$((pages + p))
done

have_time=0
if /usr/bin/time -v true >/dev/null 2>&1; then have_time=1; fi

# measure CMD... runs CMD once under /usr/bin/time -v and prints
# "wall cpu rss_kb"; without GNU time it prints wall only, with cpu and rss
# as "-". The command's own output goes to /dev/null; a command that fails
# makes measure fail.
measure() {
	if [ $have_time = 1 ]; then
		/usr/bin/time -v -o "$tmp/time.txt" "$@" >/dev/null 2>"$tmp/stderr.txt" || return 1
		awk -F': ' '
			/User time/ { u = $2 }
			/System time/ { s = $2 }
			/Maximum resident set size/ { m = $2 }
			/Elapsed \(wall clock\)/ {
				n = split($2, t, ":"); w = 0
				for (i = 1; i <= n; i++) w = w * 60 + t[i]
			}
			END { printf "%.3f %.3f %d\n", w, u + s, m }' "$tmp/time.txt"
	else
		local t0 t1
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>"$tmp/stderr.txt" || return 1
		t1=$(date +%s.%N)
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f - -\n", b - a }'
	fi
}

# best NAME CMD... runs CMD $repeat times and keeps the fastest wall time
# (the least disturbed by other work), its CPU time and the peak RSS over
# all runs, in $NAME_wall, $NAME_cpu, $NAME_rss.
best() {
	local name=$1
	shift
	local w c r bw="" bc="" br=0
	for _ in $(seq "$repeat"); do
		read -r w c r < <(measure "$@") || { echo "bench/text.sh: $* failed:" >&2; cat "$tmp/stderr.txt" >&2; exit 1; }
		if [ -z "$bw" ] || awk -v a="$w" -v b="$bw" 'BEGIN { exit !(a < b) }'; then bw=$w bc=$c; fi
		if [ "$r" != - ] && [ "$r" -gt "$br" ]; then br=$r; fi
	done
	printf -v "${name}_wall" %s "$bw"
	printf -v "${name}_cpu" %s "$bc"
	printf -v "${name}_rss" %s "$br"
}

add() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.3f\n", a + b }'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }

line() {
	# line LABEL WALL CPU RSS_KB [ROUNDS]: the run handled the inputs ROUNDS times
	awk -v l="$1" -v w="$2" -v c="$3" -v r="$4" -v B="$((bytes * ${5:-1}))" -v P="$((pages * ${5:-1}))" 'BEGIN {
		mb = B / 1e6
		cs = (c == "-" || c == 0) ? "      -" : sprintf("%7.2f", mb / c)
		rs = (r == "-" || r == 0) ? "     -" : sprintf("%6.1f", r / 1024)
		printf "%-42s %8.3f %8s %9.2f %9s %10.0f %9s\n", l, w, (c == "-" ? "-" : c), mb / w, cs, P / w * 60, rs
	}'
}

echo "emend $version, $(go version | cut -d' ' -f3), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
echo "${#inputs[@]} inputs from $corpus: $bytes bytes, $pages pages; best wall time of $repeat runs"
echo
printf "%-42s %8s %8s %9s %9s %10s %9s\n" "run" "wall s" "cpu s" "MB/s" "cpu-MB/s" "pages/min" "RSS MB"

# emend, one process per input, as the scorer and most scripts call it.
single_wall=0 single_cpu=0 single_rss=0
for f in "${inputs[@]}"; do
	best one "$tmp/emend" clean -f md -o "$tmp/out/one.md" "$f"
	single_wall=$(add "$single_wall" "$one_wall")
	single_cpu=$(add "$single_cpu" "$one_cpu")
	single_rss=$(max "$single_rss" "$one_rss")
done
line "emend clean, one file per process" "$single_wall" "$single_cpu" "$single_rss"

# emend, all inputs in one process, given $rounds times over so that the
# run is long enough for /usr/bin/time's 10 ms resolution.
many=()
for _ in $(seq "$rounds"); do many+=("${inputs[@]}"); done
for j in 1 2; do
	best all "$tmp/emend" clean -j "$j" -f md -o "$tmp/out" "${many[@]}"
	line "emend clean -j $j, all files x$rounds at once" "$all_wall" "$all_cpu" "$all_rss" "$rounds"
done

if command -v pdftotext >/dev/null; then
	# The peer makes each text input from its text.pdf: pdftotext for
	# text.txt, pdftotext -layout for layout.txt.
	pdf_wall=0 pdf_cpu=0 pdf_rss=0
	for i in "${!pdfs[@]}"; do
		if [ "${modes[$i]}" = layout ]; then
			best p pdftotext -layout "${pdfs[$i]}" "$tmp/out/pdf.txt"
		else
			best p pdftotext "${pdfs[$i]}" "$tmp/out/pdf.txt"
		fi
		pdf_wall=$(add "$pdf_wall" "$p_wall")
		pdf_cpu=$(add "$pdf_cpu" "$p_cpu")
		pdf_rss=$(max "$pdf_rss" "$p_rss")
	done
	line "pdftotext [-layout], one PDF per process" "$pdf_wall" "$pdf_cpu" "$pdf_rss"
	echo
	awk -v ew="$single_wall" -v pw="$pdf_wall" -v ec="$single_cpu" -v pc="$pdf_cpu" -v n="${#pdfs[@]}" 'BEGIN {
		printf "emend/pdftotext, one file per process, same %d documents: wall %.2fx", n, ew / pw
		if (ec != "-" && pc != "-" && pc > 0) printf ", cpu %.2fx", ec / pc
		printf "\n"
	}'
	[ ${#pdfs[@]} -eq ${#inputs[@]} ] || echo "(only ${#pdfs[@]} of the ${#inputs[@]} inputs have a text.pdf; the ratio compares unequal sets)"
else
	echo
	echo "pdftotext is not installed (apt-get install -y poppler-utils): no peer baseline in this run"
fi
