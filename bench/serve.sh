#!/usr/bin/env bash
# serve.sh measures "emend serve" against "emend clean" on the same
# documents, in the same run, and checks that the server answers 200 to
# every request with what clean writes and that its /metrics count what was
# sent. See bench/README.md.
#
#   bash bench/serve.sh                       # 500 documents, 2 at a time, best of 3
#   DOCS=2000 JOBS=4 REPEAT=1 bash bench/serve.sh
#
# Environment:
#   DOCS=N          text documents in the dump (default 500; from bench/mkdump.sh)
#   JOBS=N          clean -j N, the server's --max-concurrent N and -j N, and the
#                   requests curl keeps in flight, N and then 2N (default: the CPU count)
#   REPEAT=N        runs of every text measurement; the fastest counts (default 3)
#   REPORT_FILES=N  files of the per-process report/clean comparison (default 10)
#   SCAN=FILE       the scanned PDF, run once each (default res-73-7/scan.pdf of
#                   the corpus; SCAN= leaves it out)
#   CORPUS=DIR      corpus (default ../shared/corpus beside the module)
#   KEEP=1          keep the temporary directory (outputs, server log) and say where
#   TMPDIR=DIR      where the dump and the outputs go (default /tmp)
#
# The runs, in rounds so that the pairs compared are close in time: emend
# clean -j N -o DIR over the dump in one process; the dump POSTed to one
# "emend serve" as Markdown by one curl --parallel over N connections, then
# 2N; by a curl process a document (xargs -P N); as the HTML report; then
# emend clean and emend report one process a file on REPORT_FILES files;
# last, the scanned PDF by emend clean -j N and by the server.
#
# The server runs in its own process group for the whole script and is
# stopped with SIGTERM at the end (its exit status is checked) or, when the
# script fails or is interrupted, killed with its group: nothing is left
# running. The script reports; it never fails on a timing. It exits non-zero
# when it cannot run (a tool missing, emend does not build, a command fails)
# or when a check fails.

set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$root/../shared/corpus}
docs=${DOCS:-500}
jobs=${JOBS:-$(nproc)}
repeat=${REPEAT:-3}
report_files=${REPORT_FILES:-10}
scan=${SCAN-$corpus/res-73-7/scan.pdf}
export PATH="$PATH:/usr/local/go/bin"

die() { echo "bench/serve.sh: $*" >&2; exit 1; }

for v in docs jobs repeat report_files; do
	case ${!v} in '' | *[!0-9]* | 0) die "$v must be a positive number, not '${!v}'" ;; esac
done
[ -d "$corpus" ] || die "no corpus at $corpus (set CORPUS=DIR)"
[ -z "$scan" ] || [ -f "$scan" ] || die "no scanned PDF at $scan (set SCAN=FILE, or SCAN= to leave it out)"
command -v go >/dev/null || die "go is not on PATH (Go lives in /usr/local/go/bin)"
command -v curl >/dev/null || die "curl is missing (apt-get install curl)"
curl --help all 2>/dev/null | grep -q -- --parallel-max || die "curl is too old for --parallel (7.66 or later)"
/usr/bin/time -v true >/dev/null 2>&1 || die "GNU time is missing (apt-get install time)"
[ -r /proc/self/stat ] || die "no /proc: the server's CPU time is read from /proc/PID/stat"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/emend-serve-bench.XXXXXX") || die "cannot make a temporary directory"
case "$tmp" in *[[:space:]]*) die "the temporary directory $tmp has blanks (set TMPDIR)" ;; esac

# The server is started with job control on, so that it leads a process
# group of its own (poppler and Tesseract run in it too): stop_server
# signals the whole group, and kills whatever of it is left.
server_pid="" server_rc=""
stop_server() {
	[ -n "$server_pid" ] || return 0
	kill -TERM -- "-$server_pid" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL -- "-$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_rc=$?
	server_pgid=$server_pid server_pid=""
}
cleanup() {
	stop_server
	if [ "${KEEP:-}" = 1 ]; then
		echo "kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

(cd "$root" && go build -o "$tmp/emend" ./cmd/emend) || die "go build ./cmd/emend failed"
emend=$tmp/emend
version=$(cd "$root" && git describe --always --dirty 2>/dev/null || echo unknown)
tick=$(getconf CLK_TCK)

# The dump, in one folder: PER_DIR is the whole dump.
dump=$tmp/dump
PER_DIR=$docs bash "$root/bench/mkdump.sh" "$dump" "$docs" >"$tmp/mkdump.out" || die "bench/mkdump.sh failed"
dump_bytes=$(awk 'END { print $3 }' "$tmp/mkdump.out")
dump=$dump/d000
mapfile -t files < <(cd "$dump" && ls -- *.txt)
[ ${#files[@]} -eq "$docs" ] || die "the dump has ${#files[@]} files, not $docs"
printf '%s\n' "${files[@]%.txt}" >"$tmp/stems.txt"
few=("${files[@]:0:report_files}")
few_bytes=$(cd "$dump" && cat -- "${few[@]}" | wc -c)
scan_bytes=0 scan_pages=0 scan_name=""
if [ -n "$scan" ]; then
	scan_name=$(basename "$(dirname "$scan")")/$(basename "$scan")
	scan_bytes=$(wc -c <"$scan")
	scan_pages=$(pdfinfo "$scan" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	[ -n "$scan_pages" ] || die "pdfinfo cannot read $scan (apt-get install poppler-utils)"
fi

# --- the server -------------------------------------------------------------

set -m
"$emend" serve --addr 127.0.0.1:0 --max-concurrent "$jobs" -j "$jobs" --queue $((4 * jobs)) 2>"$tmp/serve.log" &
server_pid=$!
set +m
addr=""
for _ in $(seq 300); do
	addr=$(sed -n 's|^listening on http://||p' "$tmp/serve.log")
	[ -n "$addr" ] && break
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.05
done
[ -n "$addr" ] || die "emend serve did not say where it listens in 15 s: $(tail -n 3 "$tmp/serve.log")"
base=http://$addr

# server_ticks: CPU clock ticks the server and its waited-for children
# (poppler) have used: utime, stime, cutime, cstime of /proc/PID/stat.
server_ticks() {
	local s
	s=$(<"/proc/$server_pid/stat") || die "the server (PID $server_pid) is gone: $(tail -n 3 "$tmp/serve.log")"
	s=${s##*) }
	# shellcheck disable=SC2086 # split the fields
	set -- $s
	echo $((${12} + ${13} + ${14} + ${15}))
}
server_hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status"; }

# A curl config posting every document of the dump as FORMAT, one transfer
# a document, each writing its answer to OUT/NAME.EXT and its status to
# standard output. curl --parallel runs them over JOBS connections, kept
# alive: one client process, as a real client would be.
curl_config() {
	local format=$1 out=$2 ext=$3 f first=1
	for f in "${files[@]}"; do
		[ $first = 1 ] || echo next
		first=0
		printf 'url = "%s/v1/clean?format=%s&name=%s"\n' "$base" "$format" "$f"
		printf 'data-binary = "@%s/%s"\n' "$dump" "$f"
		printf 'header = "Content-Type: text/plain"\n'
		printf 'output = "%s/%s.%s"\n' "$out" "${f%.txt}" "$ext"
		printf 'write-out = "%%{http_code}\\n"\n'
	done
}
curl_config md "$tmp/out-md" md >"$tmp/md.cfg"
curl_config md "$tmp/out-md2" md >"$tmp/md2.cfg"
curl_config html "$tmp/out-html" html >"$tmp/html.cfg"

# Per-process loops, for emend clean and emend report one file at a time.
cat >"$tmp/each.sh" <<'EOF'
# each.sh EMEND SUBCOMMAND OUTDIR EXT FILE...: one process per file.
e=$1 sub=$2 out=$3 ext=$4
shift 4
for f; do "$e" "$sub" -o "$out/${f%.txt}.$ext" "$f" || exit 1; done
EOF

# --- measuring --------------------------------------------------------------

# measure CMD... runs CMD under /usr/bin/time -v, its standard output to
# $measure_out (default /dev/null), and prints "wall cpu rss_kb". A command
# that fails makes measure fail.
measure() {
	/usr/bin/time -v -o "$tmp/time.txt" "$@" >"${measure_out:-/dev/null}" 2>"$tmp/stderr.txt" || return 1
	awk -F': ' '
		/User time/ { u = $2 }
		/System time/ { s = $2 }
		/Maximum resident set size/ { m = $2 }
		/Elapsed \(wall clock\)/ {
			n = split($2, t, ":"); w = 0
			for (i = 1; i <= n; i++) w = w * 60 + t[i]
		}
		END { printf "%.3f %.3f %d\n", w, u + s, m }' "$tmp/time.txt"
}

# run ID DOCS BYTES CMD...: one measurement of CMD, which handles DOCS
# documents of BYTES bytes. Of several runs of an ID the fastest wall time
# is kept, with its CPU times: W wall, C the command's CPU (clean's, or the
# client's), SV the server's over the same interval; R the peak RSS (the
# command's for clean and report, the server's for requests to it).
declare -A W C SV R N B
run() {
	local id=$1 n=$2 b=$3 s0 s1 w c r srv
	shift 3
	sync
	sleep 1 # let the last run's writes settle
	s0=$(server_ticks)
	read -r w c r < <(measure "$@") || { echo "bench/serve.sh: $* failed:" >&2; tail -n 5 "$tmp/stderr.txt" >&2; exit 1; }
	s1=$(server_ticks)
	srv=$(awk -v a="$s0" -v b="$s1" -v t="$tick" 'BEGIN { printf "%.2f", (b - a) / t }')
	case $id in serve* | scan-serve) r=$(server_hwm) ;; esac
	if [ -z "${W[$id]:-}" ] || awk -v a="$w" -v b="${W[$id]}" 'BEGIN { exit !(a < b) }'; then
		W[$id]=$w C[$id]=$c SV[$id]=$srv
	fi
	if [ -z "${R[$id]:-}" ] || [ "$r" -gt "${R[$id]}" ]; then R[$id]=$r; fi
	N[$id]=$n B[$id]=$b
}

checks=() problems=0
check() { checks+=("ok: $*"); }
problem() { checks+=("FAILED: $*"); problems=$((problems + 1)); }

# statuses FILE WHAT: every line of FILE, one status a request, is 200.
statuses() {
	local n bad
	n=$(grep -c '^200$' "$1")
	bad=$(grep -v '^200$' "$1" | sort | uniq -c | awk '{ printf " %s×%s", $1, $2 }')
	if [ "$n" -eq "$docs" ] && [ -z "$bad" ]; then
		check "$2: $n answers, all 200"
	else
		problem "$2: $n of $docs answers 200;$bad"
	fi
}

# same_md DIR WHAT: DIR has clean's Markdown for every document, byte for byte.
same_md() {
	local made
	made=$(find "$1" -name '*.md' | wc -l)
	if [ "$made" -ne "$docs" ]; then
		problem "$2: $made outputs for $docs documents"
	elif diff -rq "$tmp/out-clean" "$1" >"$tmp/diff.txt"; then
		check "$2: all $docs outputs identical to emend clean's"
	else
		problem "$2: $(wc -l <"$tmp/diff.txt") outputs differ from emend clean's, e.g. $(head -n 1 "$tmp/diff.txt")"
	fi
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cpus=$(nproc)

# Warm up: page in the binary, the dictionaries, the server's first
# requests, before anything is timed.
"$emend" clean "$dump/${files[0]}" >/dev/null || die "emend clean ${files[0]} failed"
for f in md html; do
	curl -sS -o /dev/null --fail -H 'Content-Type: text/plain' --data-binary "@$dump/${files[0]}" "$base/v1/clean?format=$f&name=${files[0]}" ||
		die "the server does not answer ?format=$f: $(tail -n 3 "$tmp/serve.log")"
done
sent_md=1 sent_html=1 sent_pdf=0

for ((round = 1; round <= repeat; round++)); do
	rm -rf "$tmp/out-clean" "$tmp/out-md" "$tmp/out-md2" "$tmp/out-x" "$tmp/out-html" "$tmp/out-each"
	mkdir -p "$tmp/out-md" "$tmp/out-md2" "$tmp/out-x" "$tmp/out-html" "$tmp/out-each"

	run clean "$docs" "$dump_bytes" env -C "$dump" "$emend" clean -j "$jobs" -o "$tmp/out-clean" "${files[@]}"

	measure_out=$tmp/codes-md.txt
	run serve-md "$docs" "$dump_bytes" curl -sS --parallel --parallel-immediate --parallel-max "$jobs" -K "$tmp/md.cfg"
	sent_md=$((sent_md + docs))
	statuses "$tmp/codes-md.txt" "serve ?format=md, round $round"

	# Twice as many requests in flight as slots: one waits while the
	# other is cleaned, so that no slot idles between two requests.
	measure_out=$tmp/codes-md2.txt
	run serve-md2 "$docs" "$dump_bytes" curl -sS --parallel --parallel-immediate --parallel-max $((2 * jobs)) -K "$tmp/md2.cfg"
	sent_md=$((sent_md + docs))
	statuses "$tmp/codes-md2.txt" "serve ?format=md, $((2 * jobs)) in flight, round $round"

	measure_out=$tmp/codes-x.txt
	run serve-x "$docs" "$dump_bytes" env -C "$dump" xargs -a "$tmp/stems.txt" -P "$jobs" -I{} \
		curl -sS -o "$tmp/out-x/{}.md" -w '%{http_code}\n' -H 'Content-Type: text/plain' \
		--data-binary '@{}.txt' "$base/v1/clean?format=md&name={}.txt"
	sent_md=$((sent_md + docs))
	statuses "$tmp/codes-x.txt" "serve ?format=md by a curl a document, round $round"

	measure_out=$tmp/codes-html.txt
	run serve-html "$docs" "$dump_bytes" curl -sS --parallel --parallel-immediate --parallel-max "$jobs" -K "$tmp/html.cfg"
	sent_html=$((sent_html + docs))
	statuses "$tmp/codes-html.txt" "serve ?format=html, round $round"
	measure_out=""

	run each-clean "$report_files" "$few_bytes" env -C "$dump" bash "$tmp/each.sh" "$emend" clean "$tmp/out-each" md "${few[@]}"
	run each-report "$report_files" "$few_bytes" env -C "$dump" bash "$tmp/each.sh" "$emend" report "$tmp/out-each" html "${few[@]}"
done

same_md "$tmp/out-md" "serve ?format=md (curl --parallel)"
same_md "$tmp/out-md2" "serve ?format=md (curl --parallel, $((2 * jobs)) in flight)"
same_md "$tmp/out-x" "serve ?format=md (a curl a document)"
html_ok=$(grep -l -m 1 '<html' "$tmp"/out-html/*.html 2>/dev/null | wc -l)
if [ "$html_ok" -eq "$docs" ]; then
	check "serve ?format=html: $docs HTML reports"
else
	problem "serve ?format=html: $html_ok of $docs answers are HTML reports"
fi
html_bytes=$(cat "$tmp"/out-html/*.html | wc -c)

if [ -n "$scan" ]; then
	run scan-clean 1 "$scan_bytes" "$emend" clean -j "$jobs" -o "$tmp/scan-clean.md" "$scan"
	measure_out=$tmp/codes-scan.txt
	run scan-serve 1 "$scan_bytes" curl -sS -o "$tmp/scan-serve.md" -w '%{http_code}\n' \
		-H 'Content-Type: application/pdf' --data-binary "@$scan" "$base/v1/clean?format=md&name=$(basename "$scan")"
	measure_out=""
	sent_pdf=1
	if [ "$(cat "$tmp/codes-scan.txt")" != 200 ]; then
		problem "serve $(basename "$scan"): status $(cat "$tmp/codes-scan.txt")"
	elif cmp -s "$tmp/scan-clean.md" "$tmp/scan-serve.md"; then
		check "serve $(basename "$scan"): 200, identical to emend clean's"
	else
		problem "serve $(basename "$scan"): 200, but differs from emend clean's"
	fi
fi

# --- the server's own count -------------------------------------------------

curl -sS --fail -o "$tmp/metrics.txt" "$base/metrics" || die "GET /metrics failed"
# metric NAME LABEL=VALUE...: the sum of NAME's samples with those labels.
metric() {
	local name=$1
	shift
	awk -v name="$name" -v want="$*" '
		index($0, name "{") == 1 || $1 == name {
			ok = 1; n = split(want, w, " ")
			for (i = 1; i <= n; i++) {
				split(w[i], kv, "=")
				if (index($0, kv[1] "=\"" kv[2] "\"") == 0) ok = 0
			}
			if (ok) s += $NF
		}
		END { printf "%.6g\n", s }' "$tmp/metrics.txt"
}
stop_server
if [ "$server_rc" = 0 ]; then
	check "the server stopped on SIGTERM with status 0"
else
	problem "the server exited $server_rc on SIGTERM: $(tail -n 2 "$tmp/serve.log")"
fi
if pgrep -g "$server_pgid" >/dev/null; then
	problem "processes of the server's group $server_pgid are still running"
else
	check "nothing of the server's process group is left"
fi

# --- report -----------------------------------------------------------------

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "emend $version, $(go version | cut -d' ' -f3), $cpus CPUs, load $load_before before the runs, $load_after after"
echo "dump: $docs documents from the text inputs of $corpus, $dump_bytes bytes,"
echo "      $((dump_bytes / docs)) bytes a document; JOBS=$jobs (clean -j, serve --max-concurrent and -j,"
echo "      requests in flight); fastest of $repeat run(s) each; TMPDIR=${TMPDIR:-/tmp}"
echo

# own_cpu ID: the CPU seconds of what cleaned in run ID: the server's for
# requests to it, else the command's.
own_cpu() {
	case $1 in serve* | scan-serve) echo "${SV[$1]}" ;; *) echo "${C[$1]}" ;; esac
}

# row ID LABEL: a run's line. docs/cpu is over the CPU of what cleaned:
# the clean or report process, or the server.
row() {
	local id=$1
	awk -v l="$2" -v n="${N[$id]}" -v w="${W[$id]}" -v c="${C[$id]}" -v s="${SV[$id]}" -v r="${R[$id]}" -v B="${B[$id]}" -v own="$(own_cpu "$id")" 'BEGIN {
		printf "%-50s %5d %8.2f %8.2f %8.2f %8.1f %7.2f %8.1f %7.1f\n", l, n, w, c, s, n / w, B / 1e6 / w, (own > 0 ? n / own : 0), r / 1024
	}'
}
printf "%-50s %5s %8s %8s %8s %8s %7s %8s %7s\n" run docs "wall s" "cpu s" "srv cpu" "docs/s" "MB/s" "docs/cpu" "RSS MB"
row clean "emend clean -j $jobs -o DIR, all files"
row serve-md "serve ?format=md, curl --parallel $jobs"
row serve-md2 "serve ?format=md, curl --parallel $((2 * jobs))"
row serve-x "serve ?format=md, a curl a document (xargs -P $jobs)"
row serve-html "serve ?format=html, curl --parallel $jobs"
row each-clean "emend clean, one process a file"
row each-report "emend report, one process a file"
if [ -n "$scan" ]; then
	row scan-clean "emend clean -j $jobs $scan_name"
	row scan-serve "serve ?format=md, $scan_name"
fi
echo
echo "cpu s: the clean or report process, or the client (curl); srv cpu: the server over the"
echo "same interval. docs/cpu: documents per CPU second of what cleaned them (clean, report, or"
echo "the server). RSS MB: peak of clean or report, or the server's peak so far. MB/s: input."
awk -v h="$html_bytes" -v n="$docs" 'BEGIN { printf "The HTML reports average %.0f KB a document.\n", h / n / 1024 }'
if [ -n "$scan" ]; then
	awk -v p="$scan_pages" -v a="${W[scan-clean]}" -v b="${W[scan-serve]}" 'BEGIN {
		printf "Scan: %d pages, %.1f pages/min by clean, %.1f by the server.\n", p, p / a * 60, p / b * 60 }'
fi
if awk -v l="${load_after%% *}" -v n="$cpus" 'BEGIN { exit !(l > n) }'; then
	echo "The load is above the CPU count: other work shared the cores; compare the docs/cpu column."
fi
echo

# ratio LABEL A B [all]: A's documents per second over B's, wall and per
# CPU second of what cleaned them; with "all", A's CPU adds its client's.
ratio() {
	local ca
	ca=$(own_cpu "$2")
	[ "${4:-}" != all ] || ca=$(awk -v a="$ca" -v b="${C[$2]}" 'BEGIN { print a + b }')
	awk -v l="$1" -v na="${N[$2]}" -v wa="${W[$2]}" -v nb="${N[$3]}" -v wb="${W[$3]}" -v ca="$ca" -v cb="$(own_cpu "$3")" 'BEGIN {
		printf "%-62s %5.2fx   per CPU second %5.2fx\n", l, (na / wa) / (nb / wb), (na / ca) / (nb / cb)
	}'
}
echo "Ratios (documents per second, same run; above 1 the first is faster):"
ratio "serve md (curl --parallel $jobs) / clean -j $jobs" serve-md clean
ratio "  the same, the client's CPU counted too" serve-md clean all
ratio "serve md (curl --parallel $((2 * jobs))) / clean -j $jobs" serve-md2 clean
ratio "serve md (a curl a document) / clean -j $jobs" serve-x clean
ratio "  the same, the clients' CPU counted too" serve-x clean all
ratio "serve md (a curl a document) / clean, a process a file" serve-x each-clean
ratio "serve html / serve md (curl --parallel $jobs): the report" serve-html serve-md
ratio "emend report / emend clean, a process a file" each-report each-clean
[ -z "$scan" ] || ratio "serve / clean, the scanned PDF" scan-serve scan-clean
echo

echo "The server's /metrics at the end (a cross-check of what was sent):"
text_ok=$(metric emend_documents_total input_kind=text outcome=ok)
pdf_ok=$(metric emend_documents_total input_kind=pdf outcome=ok)
not_ok=$(awk '/^emend_documents_total\{/ && !/outcome="ok"/ { s += $NF } END { print s + 0 }' "$tmp/metrics.txt")
printf "  %-58s %8s   (sent %d)\n" 'emend_documents_total{input_kind="text",outcome="ok"}' "$text_ok" $((sent_md + sent_html))
printf "  %-58s %8s   (sent %d)\n" 'emend_documents_total{input_kind="pdf",outcome="ok"}' "$pdf_ok" "$sent_pdf"
printf "  %-58s %8s\n" 'emend_documents_total, other outcomes' "$not_ok"
if [ "$text_ok" = $((sent_md + sent_html)) ] && [ "$pdf_ok" = "$sent_pdf" ] && [ "$not_ok" = 0 ]; then
	check "/metrics: emend_documents_total counts every document sent, all ok"
else
	problem "/metrics: emend_documents_total does not match what was sent"
fi
for f in md html; do
	c=$(metric emend_http_request_duration_seconds_count route=clean format=$f code=200)
	s=$(metric emend_http_request_duration_seconds_sum route=clean format=$f code=200)
	want=$sent_html
	[ $f = html ] || want=$((sent_md + sent_pdf))
	awk -v f="$f" -v c="$c" -v s="$s" -v w="$want" 'BEGIN {
		printf "  emend_http_request_duration_seconds{route=\"clean\",format=\"%s\",code=\"200\"}: count %d (sent %d), sum %.2f s, mean %.1f ms\n", f, c, w, s, (c > 0 ? s / c * 1000 : 0) }'
	if [ "$c" = "$want" ]; then
		check "/metrics: the request histogram counts every ?format=$f request"
	else
		problem "/metrics: the request histogram counts $c ?format=$f requests, $want sent"
	fi
done
c=$(metric emend_document_duration_seconds_count input_kind=text)
s=$(metric emend_document_duration_seconds_sum input_kind=text)
awk -v c="$c" -v s="$s" 'BEGIN { printf "  emend_document_duration_seconds{input_kind=\"text\"}: count %d, sum %.2f s, mean %.1f ms (cleaning in a slot)\n", c, s, (c > 0 ? s / c * 1000 : 0) }'
echo

echo "Checks:"
printf '  %s\n' "${checks[@]}"
if [ $problems -gt 0 ]; then
	echo "$problems check(s) failed"
	exit 1
fi
