#!/usr/bin/env bash
# batch.sh measures "emend batch" on a generated dump of text documents
# against "emend clean" over the same files in one process, in the same run:
# throughput on 1 and 2 local workers, with worker processes beside the
# batch (emend worker over --listen), and peak memory on a dump three times
# as large. It checks that the batch outputs match clean's byte for byte (on
# a sample) and that the manifest has one "done" line per document.
#
#   bench/batch.sh                                   # 10000 docs, then 30000 for memory
#   DOCS=2000 BIG_DOCS=0 REPEAT=3 bench/batch.sh     # smaller, no memory run, best of 3
#
# Environment:
#   DOCS=N          documents in the dump (default 10000)
#   BIG_DOCS=N      documents in the memory-check dump (default 30000; 0 skips it)
#   REPEAT=N        runs of every throughput measurement; the fastest counts (default 1)
#   PORT=P          port of --listen runs (default: a free one from 14222 up)
#   RUN_TIMEOUT=S   give up on a run after S seconds (default 3600)
#   CORPUS=DIR      corpus (default ../shared/corpus beside the module)
#   KEEP=1          keep the temporary directory (dumps, logs) and say where
#   TMPDIR=DIR      where the dumps and outputs go (default /tmp); TMPDIR=/dev/shm
#                   takes the disk (file creation, fsync) out of the comparison
#
# The runs, each on a fresh output directory after a sync: emend clean -j 1
# and -j 2 -o DIR over every file in one process (DIR is the reference for
# the output checks); clean -j 2 with outputs to /dev/null (the chain
# without output files); emend batch -j 1 and -j 2; batch -j 1 --listen
# with one "emend worker -j 1" beside it, and batch -j 0 --listen with two;
# batch -j 2 on the larger dump. The dumps come from bench/mkdump.sh.
#
# Every run uses at most 2 cores' worth of workers: the targets are batch
# -j 2 at >= 0.80 of clean -j 2's documents per second, and batch -j 2 under
# 300 MB peak RSS whatever the size of the dump. The script reports; it
# never fails on a timing. It exits non-zero when it cannot run (no Go, no
# corpus, emend does not build, a command fails or times out) or when a check
# of the outputs fails.

set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$root/../shared/corpus}
docs=${DOCS:-10000}
big_docs=${BIG_DOCS:-30000}
repeat=${REPEAT:-1}
run_timeout=${RUN_TIMEOUT:-3600}
export PATH="$PATH:/usr/local/go/bin"
# A listening batch admits only clients with its token; the batch and its
# workers share this one.
export EMEND_NATS_TOKEN=${EMEND_NATS_TOKEN:-bench-$$-$RANDOM}

die() { echo "bench/batch.sh: $*" >&2; exit 1; }

for v in docs big_docs repeat run_timeout; do
	case ${!v} in '' | *[!0-9]*) die "$v must be a number, not '${!v}'" ;; esac
done
if [ "$docs" -eq 0 ] || [ "$repeat" -eq 0 ]; then die "DOCS and REPEAT must be positive"; fi
[ -d "$corpus" ] || die "no corpus at $corpus (set CORPUS=DIR)"
command -v go >/dev/null || die "go is not on PATH (Go lives in /usr/local/go/bin)"
command -v timeout >/dev/null || die "timeout (coreutils) is missing"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/emend-batch-bench.XXXXXX")
case "$tmp" in *[[:space:]]*) die "the temporary directory $tmp has blanks (set TMPDIR)" ;; esac
log=$tmp/log
mkdir -p "$log"

# Processes this script started and may have to stop: their own PIDs.
started=()
cleanup() {
	local p
	for p in "${started[@]}"; do
		kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null
	done
	if [ "${KEEP:-}" = 1 ]; then
		echo "kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

(cd "$root" && go build -o "$tmp/emend" ./cmd/emend) || die "go build ./cmd/emend failed"
emend=$tmp/emend
version=$(cd "$root" && git describe --always --dirty 2>/dev/null || echo unknown)

have_time=0
if /usr/bin/time -v true >/dev/null 2>&1; then have_time=1; fi
clk=$(getconf CLK_TCK)

# --- measuring processes --------------------------------------------------

# poll_proc PID prints, when PID has ended, the CPU seconds (utime +
# stime, summed) and the largest peak RSS (VmHWM, kB) last seen in PID and
# its descendants (timeout runs emend as a child), sampled every 0.1 s: the
# fallback without GNU time. Both are lower bounds (the last 0.1 s is
# missed).
poll_proc() {
	local pid=$1 hwm=0 cpu=0 h c tree
	while kill -0 "$pid" 2>/dev/null; do
		tree=$(ps -e -o pid=,ppid= | awk -v root="$pid" '
			{ parent[$1] = $2 }
			END {
				tree[root] = 1
				do {
					grew = 0
					for (p in parent) if (!(p in tree) && (parent[p] in tree)) { tree[p] = 1; grew = 1 }
				} while (grew)
				for (p in tree) printf "/proc/%s ", p
			}')
		# VmHWM from status; in stat, after the ")" that ends the command
		# name, utime is the 12th field and stime the 13th.
		h=0 c=0
		for d in $tree; do
			h=$(awk -v m="$h" '/^VmHWM:/ { if ($2 > m) m = $2 } END { print m }' "$d/status" 2>/dev/null) || true
			c=$(sed 's/.*) //' "$d/stat" 2>/dev/null | awk -v s="$c" -v t="$clk" '{ s += ($12 + $13) / t } END { printf "%.2f", s }') || true
		done
		awk -v a="${h:-0}" -v b="$hwm" 'BEGIN { exit !(a > b) }' && hwm=${h:-0}
		awk -v a="${c:-0}" -v b="$cpu" 'BEGIN { exit !(a > b) }' && cpu=${c:-0}
		sleep 0.1
	done
	echo "$cpu $hwm"
}

# launch NAME CMD... starts CMD in the background, under /usr/bin/time -v
# when there is one, and sets pid_NAME (CMD's own process, to signal) and
# wrap_NAME (the process to wait for). CMD's output goes to $log/NAME.out,
# or to $launch_stdout when that is set.
launch_stdout=""
launch() {
	local name=$1 w p="" stdout
	shift
	stdout=${launch_stdout:-$log/$name.out}
	if [ $have_time = 1 ]; then
		/usr/bin/time -v -o "$log/$name.time" "$@" >"$stdout" 2>"$log/$name.err" &
		w=$!
		# time forks CMD: find it, to be able to signal it (time ignores SIGINT).
		for _ in $(seq 200); do
			p=$(ps -o pid= --ppid "$w" 2>/dev/null | awk 'NR == 1 { print $1 }') || true
			[ -n "$p" ] && break
			kill -0 "$w" 2>/dev/null || break
			sleep 0.02
		done
		p=${p:-$w}
	else
		date +%s.%N >"$log/$name.t0"
		"$@" >"$stdout" 2>"$log/$name.err" &
		w=$! p=$!
		poll_proc "$p" >"$log/$name.poll" &
		printf -v "poll_$name" %s "$!"
	fi
	started+=("$p" "$w")
	printf -v "pid_$name" %s "$p"
	printf -v "wrap_$name" %s "$w"
}

# finish NAME waits for a launched command and sets NAME_wall, NAME_cpu
# (user + system seconds) and NAME_rss (peak, kB); it returns the command's
# exit status.
finish() {
	local name=$1 wv rc=0 w c r
	wv=wrap_$name
	wait "${!wv}" || rc=$?
	if [ $have_time = 1 ]; then
		read -r w c r < <(awk -F': ' '
			/User time/ { u = $2 }
			/System time/ { s = $2 }
			/Maximum resident set size/ { m = $2 }
			/Elapsed \(wall clock\)/ {
				n = split($2, t, ":"); w = 0
				for (i = 1; i <= n; i++) w = w * 60 + t[i]
			}
			END { printf "%.2f %.2f %d\n", w, u + s, m }' "$log/$name.time")
	else
		local t1 pv=poll_$name
		t1=$(date +%s.%N)
		wait "${!pv}" || true
		read -r c r <"$log/$name.poll"
		w=$(awk -v a="$(cat "$log/$name.t0")" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	fi
	printf -v "${name}_wall" %s "$w"
	printf -v "${name}_cpu" %s "$c"
	printf -v "${name}_rss" %s "$r"
	return $rc
}

# failed NAME STATUS ends the script on a run that failed or timed out.
failed() {
	if [ "$2" = 124 ]; then
		echo "bench/batch.sh: $1 timed out after ${run_timeout}s (RUN_TIMEOUT)" >&2
	else
		echo "bench/batch.sh: $1 failed (exit $2)" >&2
	fi
	tail -n 20 "$log/$1.err" >&2
	exit 1
}

# stop NAME sends SIGINT to a launched worker, waits for it (SIGTERM, then
# SIGKILL, after 60 s more each), and collects it with finish.
stop() {
	local name=$1 pv rc=0 sig
	pv=pid_$name
	kill -INT "${!pv}" 2>/dev/null || true
	for sig in TERM KILL; do
		for _ in $(seq 600); do
			kill -0 "${!pv}" 2>/dev/null || break 2
			sleep 0.1
		done
		echo "bench/batch.sh: $name did not stop on SIGINT; sending SIG$sig" >&2
		kill "-$sig" "${!pv}" 2>/dev/null || true
	done
	finish "$name" || rc=$?
	case $rc in
	0 | 130) ;;
	*) echo "bench/batch.sh: $name exited with status $rc after SIGINT:" >&2; tail -n 5 "$log/$name.err" >&2 ;;
	esac
}

# --- the dumps --------------------------------------------------------------

# make_dump DIR N makes the dump and sets dump_bytes and dump_pages.
make_dump() {
	local summary
	summary=$(CORPUS=$corpus "$root/bench/mkdump.sh" "$1" "$2" | tail -n 1) || die "bench/mkdump.sh failed"
	read -r _ _ dump_bytes _ dump_pages _ <<<"$summary"
}

dump=$tmp/dump
make_dump "$dump" "$docs"
bytes=$dump_bytes pages=$dump_pages
mapfile -t files < <(cd "$dump" && find . -type f -name '*.txt' -printf '%P\n' | sort)
[ ${#files[@]} -eq "$docs" ] || die "the dump holds ${#files[@]} files, not $docs"

# One clean process must take every file. The paths are given relative to
# the dump (clean runs there), which keeps the list short; if it still
# does not fit in ARG_MAX (arguments, their pointers and the environment),
# xargs splits it and the clean rows are over several processes.
arg_max=$(getconf ARG_MAX)
arg_bytes=$(printf '%s\n' "${files[@]}" | awk '{ s += length($0) + 1 + 8 } END { print s + 0 }')
env_bytes=$(env | awk '{ s += length($0) + 1 + 8 } END { print s + 0 }')
split_clean=0
if [ $((arg_bytes + env_bytes + 4096 + ${#tmp} * 2)) -ge "$arg_max" ]; then split_clean=1; fi

# sample_of LIST...: about 100 documents spread over the dump, and the last.
sample_of() {
	local n=$# step i
	step=$(((n + 99) / 100))
	local args=("$@")
	for ((i = 0; i < n; i += step)); do echo "${args[$i]}"; done
	[ $(((n - 1) % step)) -eq 0 ] || echo "${args[$((n - 1))]}"
}
mapfile -t sample < <(sample_of "${files[@]}")

# --- checks -----------------------------------------------------------------

problems=0
checks=()
problem() {
	problems=$((problems + 1))
	checks+=("FAIL: $*")
	echo "bench/batch.sh: FAIL: $*" >&2
}

# check_batch LABEL OUT N REFDIR DOCS...: the manifest has one line per
# document, each "done", none twice; each sampled document's output
# OUT/<rel>.md is byte for byte REFDIR/<base>.md, clean's output.
check_batch() {
	local label=$1 out=$2 n=$3 ref=$4 lines done_lines rels bad=0 rel base
	shift 4
	local man=$out/manifest.jsonl
	if [ ! -f "$man" ]; then
		problem "$label: no manifest.jsonl"
		return
	fi
	lines=$(wc -l <"$man")
	done_lines=$(grep -c '"status":"done"' "$man" || true)
	rels=$(grep -o '"rel":"[^"]*"' "$man" | sort -u | wc -l)
	if [ "$lines" -ne "$n" ] || [ "$done_lines" -ne "$n" ] || [ "$rels" -ne "$n" ]; then
		problem "$label: manifest has $lines lines, $done_lines done, $rels documents; want $n of each"
	fi
	for rel in "$@"; do
		base=$(basename "$rel" .txt)
		if ! cmp -s "$ref/$base.md" "$out/$rel.md"; then
			bad=$((bad + 1))
			[ $bad -le 3 ] && problem "$label: $out/$rel.md differs from clean's $base.md"
		fi
	done
	if [ $bad -eq 0 ]; then
		checks+=("ok: $label: manifest $lines lines, all done; $# sampled outputs identical to clean's")
	elif [ $bad -gt 3 ]; then
		problem "$label: $bad of $# sampled outputs differ from clean's"
	fi
}

# worker_docs OUT PATTERN counts the manifest lines whose worker matches.
worker_docs() { grep -c "\"worker\":\"$2\"" "$1/manifest.jsonl" || true; }

# store_kb OUT is the size of the queue's store after the run.
store_kb() { du -sk "$1/.emend" 2>/dev/null | awk '{ print $1 }'; }

# --- results ----------------------------------------------------------------

declare -A W C R D N S
order=()

# record ID WALL CPU RSS [DOCS]: keeps the fastest run of ID (its wall, CPU
# and docs) and the largest RSS over all of its runs.
record() {
	local id=$1
	if [ -z "${W[$id]:-}" ]; then order+=("$id"); fi
	if [ -z "${W[$id]:-}" ] || awk -v a="$2" -v b="${W[$id]}" 'BEGIN { exit !(a < b) }'; then
		W[$id]=$2 C[$id]=$3 D[$id]=${5:-}
	fi
	if [ -z "${R[$id]:-}" ] || [ "$4" -gt "${R[$id]}" ]; then R[$id]=$4; fi
}

free_port() {
	local p=${PORT:-14222}
	if [ -n "${PORT:-}" ]; then echo "$p"; return; fi
	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
	echo "$p"
}

# wait_port PORT waits until the embedded server accepts connections.
wait_port() {
	for _ in $(seq 300); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.05
	done
	return 1
}

# --- the runs ---------------------------------------------------------------

ref=$tmp/ref

# settle flushes what earlier runs left to write back (outputs, deletions),
# so that a run does not pay for the one before it.
settle() { sync; sleep 1; }

# run_clean_mem: clean -j 2 with every output to standard output, which goes
# to /dev/null: the chain without output files (no file creation, no fsync).
# clean holds every output in memory until the end, so its RSS grows with the
# dump: read its throughput, not its memory.
run_clean_mem() {
	local id=cleanmem rc=0
	settle
	launch_stdout=/dev/null
	if [ $split_clean = 0 ]; then
		launch "$id" timeout -s INT -k 30 "$run_timeout" env -C "$dump" "$emend" clean -j 2 "${files[@]}"
	else
		printf '%s\n' "${files[@]}" >"$tmp/files.txt"
		launch "$id" timeout -s INT -k 30 "$run_timeout" env -C "$dump" \
			xargs -d '\n' -s $((arg_max - env_bytes - 4096)) -a "$tmp/files.txt" "$emend" clean -j 2
	fi
	launch_stdout=""
	finish "$id" || rc=$?
	[ $rc = 0 ] || failed "$id" $rc
	local v=${id}_wall c=${id}_cpu r=${id}_rss
	record "$id" "${!v}" "${!c}" "${!r}"
}

run_clean() {
	local j=$1 id=clean$1 rc=0
	rm -rf "$ref"
	mkdir -p "$ref"
	settle
	if [ $split_clean = 0 ]; then
		launch "$id" timeout -s INT -k 30 "$run_timeout" env -C "$dump" "$emend" clean -j "$j" -o "$ref" "${files[@]}"
	else
		printf '%s\n' "${files[@]}" >"$tmp/files.txt"
		launch "$id" timeout -s INT -k 30 "$run_timeout" env -C "$dump" \
			xargs -d '\n' -s $((arg_max - env_bytes - 4096)) -a "$tmp/files.txt" "$emend" clean -j "$j" -o "$ref"
	fi
	finish "$id" || rc=$?
	[ $rc = 0 ] || failed "$id" $rc
	local made
	made=$(find "$ref" -name '*.md' | wc -l)
	[ "$made" -eq "$docs" ] || problem "clean -j $j wrote $made outputs for $docs documents"
	local v=${id}_wall c=${id}_cpu r=${id}_rss
	record "$id" "${!v}" "${!c}" "${!r}"
}

# run_batch ID J: emend batch -j J on the dump, alone.
run_batch() {
	local id=$1 j=$2 rc=0 out=$tmp/out-$1
	rm -rf "$out"
	settle
	launch "$id" timeout -s INT -k 30 "$run_timeout" "$emend" batch "$dump" --out "$out" -j "$j" --progress none
	finish "$id" || rc=$?
	[ $rc = 0 ] || failed "$id" $rc
	local v=${id}_wall c=${id}_cpu r=${id}_rss
	record "$id" "${!v}" "${!c}" "${!r}"
	S[$id]=$(store_kb "$out")
	check_batch "batch -j $j" "$out" "$docs" "$ref" "${sample[@]}"
	rm -rf "$out"
}

# run_dist ID J WORKERS: emend batch -j J --listen with WORKERS worker
# processes (-j 1 each) started as soon as its port opens, and stopped
# with SIGINT when it has finished.
run_dist() {
	local id=$1 j=$2 nw=$3 rc=0 out=$tmp/out-$1 port k
	port=$(free_port)
	rm -rf "$out"
	settle
	launch "$id" timeout -s INT -k 30 "$run_timeout" "$emend" batch "$dump" --out "$out" -j "$j" \
		--listen "127.0.0.1:$port" --progress none
	if ! wait_port "$port"; then
		k=pid_$id
		kill -INT "${!k}" 2>/dev/null || true
		finish "$id" || true
		die "emend batch --listen 127.0.0.1:$port did not open its port in 15 s"
	fi
	for ((k = 1; k <= nw; k++)); do
		launch "${id}w$k" "$emend" worker --nats "nats://127.0.0.1:$port" -j 1
	done
	finish "$id" || rc=$?
	for ((k = 1; k <= nw; k++)); do stop "${id}w$k"; done
	[ $rc = 0 ] || failed "$id" $rc
	local v=${id}_wall c=${id}_cpu r=${id}_rss
	local wall=${!v} cpu=${!c} rss=${!r} pv wdocs
	record "$id.b" "$wall" "$cpu" "$rss" "$(worker_docs "$out" 'batch-[^"]*')"
	for ((k = 1; k <= nw; k++)); do
		c=${id}w${k}_cpu r=${id}w${k}_rss pv=pid_${id}w$k
		wdocs=$(worker_docs "$out" "worker-[^\"]*-${!pv}")
		record "$id.w$k" "$wall" "${!c}" "${!r}" "$wdocs"
		cpu=$(awk -v a="$cpu" -v b="${!c}" 'BEGIN { printf "%.2f", a + b }')
		rss=$((rss + ${!r}))
	done
	record "$id" "$wall" "$cpu" "$rss"
	S[$id]=$(store_kb "$out")
	check_batch "batch -j $j + $nw worker(s)" "$out" "$docs" "$ref" "${sample[@]}"
	rm -rf "$out"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)
cpus=$(nproc)
echo "emend $version, $(go version | cut -d' ' -f3), $cpus CPUs, load $load_before before the runs"
echo "dump: $docs documents from the text inputs of $corpus, $bytes bytes, $pages pages;"
echo "      $((bytes / docs)) bytes a document, in folders of ${PER_DIR:-500}; fastest of $repeat run(s) each"
if [ $split_clean = 1 ]; then
	echo "      (the file list does not fit in ARG_MAX=$arg_max: clean runs over several processes by xargs)"
fi
[ $have_time = 1 ] || echo "      (no /usr/bin/time: CPU and RSS are sampled from /proc every 0.1 s, lower bounds)"
echo

# Page in the binary and its dictionaries once before anything is timed.
"$emend" clean "$dump/${files[0]}" >/dev/null

# The rows come in an order that keeps the key pair (clean -j 2, batch -j 2)
# next to each other in time.
for ((round = 1; round <= repeat; round++)); do
	run_clean 1
	run_clean 2
	run_batch b2 2
	run_batch b1 1
	run_dist d1 1 1
	run_dist d0 0 2
	run_clean_mem
done
N[cleanmem]=$docs N[clean1]=$docs N[clean2]=$docs N[b1]=$docs N[b2]=$docs N[d1]=$docs N[d0]=$docs

if [ "$big_docs" -gt 0 ]; then
	rm -rf "$ref"
	big=$tmp/dump-big
	make_dump "$big" "$big_docs"
	big_bytes=$dump_bytes
	mapfile -t big_files < <(cd "$big" && find . -type f -name '*.txt' -printf '%P\n' | sort)
	mapfile -t big_sample < <(sample_of "${big_files[@]}")
	# The reference for the sample: clean over the sampled files alone.
	mkdir -p "$tmp/ref-big"
	env -C "$big" "$emend" clean -j 2 -o "$tmp/ref-big" "${big_sample[@]}" >/dev/null 2>"$log/ref-big.err" ||
		die "clean on the big sample failed: $(tail -n 3 "$log/ref-big.err")"
	out=$tmp/out-big rc=0
	settle
	launch big timeout -s INT -k 30 "$run_timeout" "$emend" batch "$big" --out "$out" -j 2 --progress none
	finish big || rc=$?
	[ $rc = 0 ] || failed big $rc
	v=big_wall c=big_cpu r=big_rss
	record big "${!v}" "${!c}" "${!r}"
	N[big]=$big_docs
	S[big]=$(store_kb "$out")
	check_batch "batch -j 2, $big_docs documents" "$out" "$big_docs" "$tmp/ref-big" "${big_sample[@]}"
	rm -rf "$out" "$big" "$tmp/ref-big"
fi

# --- report -----------------------------------------------------------------

# row LABEL ID: a run; sub LABEL ID: one process of a run with workers.
row() {
	local id=$2 b=$bytes
	[ "$id" = big ] && b=$big_bytes
	awk -v l="$1" -v n="${N[$id]}" -v w="${W[$id]}" -v c="${C[$id]}" -v r="${R[$id]}" -v B="$b" -v s="${S[$id]:-}" 'BEGIN {
		st = (s == "") ? "" : sprintf("%8.1f", s / 1024)
		printf "%-46s %6d %8.2f %8.2f %8.1f %7.2f %8.1f %7.1f %s\n", l, n, w, c, n / w, B / 1e6 / w, (c > 0 ? n / c : 0), r / 1024, st
	}'
}
sub() {
	local id=$2
	awk -v l="$1" -v n="${D[$id]}" -v c="${C[$id]}" -v r="${R[$id]}" 'BEGIN {
		printf "  %-44s %6d %8s %8.2f %8s %7s %8s %7.1f\n", l, n, "", c, "", "", "", r / 1024
	}'
}

printf "%-46s %6s %8s %8s %8s %7s %8s %7s %8s\n" run docs "wall s" "cpu s" "docs/s" "MB/s" "docs/cpu" "RSS MB" "store MB"
clean_label="emend clean -j %d -o DIR, all files, 1 process"
[ $split_clean = 0 ] || clean_label="emend clean -j %d -o DIR, all files, by xargs"
# shellcheck disable=SC2059 # the label is a format
row "$(printf "$clean_label" 1)" clean1
# shellcheck disable=SC2059
row "$(printf "$clean_label" 2)" clean2
row "emend clean -j 2 >/dev/null, no output files" cleanmem
row "emend batch -j 1" b1
row "emend batch -j 2" b2
row "emend batch -j 1 --listen + 1 worker -j 1" d1
sub "batch process (its 1 local worker)" d1.b
sub "worker process" d1.w1
row "emend batch -j 0 --listen + 2 workers -j 1" d0
sub "batch process (no local worker)" d0.b
sub "worker process 1" d0.w1
sub "worker process 2" d0.w2
if [ "$big_docs" -gt 0 ]; then row "emend batch -j 2, larger dump" big; fi
echo
echo "docs/s and MB/s: documents and input bytes over wall time; docs/cpu: documents per"
echo "CPU second (user + system, all processes of the run). RSS MB: peak resident set"
echo "(for runs with workers, the sum of the processes' peaks; each is on its line, where"
echo "docs is what that process cleaned). store MB: the queue's store (OUT/.emend) at the end."
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)
echo "load $load_after after the runs"
if awk -v l="${load_after%% *}" -v n="$cpus" 'BEGIN { exit !(l > n) }'; then
	echo "The load is above the CPU count: other work shared the cores; compare the docs/cpu column."
fi
echo

# ratio LABEL A B: A's documents per second over B's, wall and CPU.
ratio() {
	awk -v l="$1" -v na="${N[$2]}" -v wa="${W[$2]}" -v ca="${C[$2]}" -v nb="${N[$3]}" -v wb="${W[$3]}" -v cb="${C[$3]}" -v t="${4:-}" 'BEGIN {
		r = (na / wa) / (nb / wb)
		printf "%-58s %5.2fx   per CPU second %5.2fx", l, r, (na / ca) / (nb / cb)
		if (t != "") printf "   (target >= %s: %s)", t, (r >= t ? "met" : "NOT met")
		printf "\n"
	}'
}
echo "Throughput ratios (docs/s; same run):"
ratio "batch -j 2 / clean -j 2" b2 clean2 0.80
ratio "batch -j 1 / clean -j 1" b1 clean1
ratio "scaling: batch -j 2 / batch -j 1" b2 b1
ratio "scaling: clean -j 2 / clean -j 1" clean2 clean1
ratio "batch -j 2 / clean -j 2 with no output files" b2 cleanmem
ratio "batch -j 1 + worker -j 1 / batch -j 1" d1 b1
ratio "batch -j 1 + worker -j 1 / batch -j 2" d1 b2
ratio "batch -j 0 + 2 workers -j 1 / batch -j 2" d0 b2
echo

echo "Memory (peak RSS of emend batch -j 2; target < 300 MB, flat in the dump size):"
awk -v n="$docs" -v r="${R[b2]}" 'BEGIN { printf "  %6d documents: %6.1f MB  %s\n", n, r / 1024, (r / 1024 < 300 ? "under 300 MB" : "OVER 300 MB") }'
if [ "$big_docs" -gt 0 ]; then
	awk -v n="$big_docs" -v r="${R[big]}" -v n0="$docs" -v r0="${R[b2]}" 'BEGIN {
		printf "  %6d documents: %6.1f MB  %s; %.2fx the smaller dump'"'"'s\n", n, r / 1024, (r / 1024 < 300 ? "under 300 MB" : "OVER 300 MB"), r / r0
		if (n != n0) {
			slope = (r - r0) / 1024 / (n - n0) * 10000 # MB per 10,000 documents
			printf "  growth: %.1f MB per 10,000 documents", slope
			if (slope > 0.5 && r0 / 1024 < 300 && n0 >= 5000) printf "; at that rate 300 MB is reached near %d documents", n0 + (300 - r0 / 1024) / slope * 10000
			printf "\n"
		}
	}'
fi
echo

echo "Checks:"
printf '  %s\n' "${checks[@]}"
if [ $problems -gt 0 ]; then
	echo "$problems check(s) failed"
	exit 1
fi
