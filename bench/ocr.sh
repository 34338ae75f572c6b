#!/usr/bin/env bash
# ocr.sh times emend's OCR path on the corpus's scanned PDFs and, in the same
# run and on the same files, the two ways people OCR such PDFs without it:
# OCRmyPDF, and a bare loop of the tesseract command. It then scores the
# texts emend and OCRmyPDF wrote against each case's gold.md, so that speed
# and accuracy are read together. See bench/README.md.
#
#   bash bench/ocr.sh                # corpus at ../shared/corpus beside the module
#   bash bench/ocr.sh CORPUS_DIR
#
# Every run uses 2 workers (JOBS=N to change) and one thread per Tesseract
# (OMP_THREAD_LIMIT=1). Each measurement runs once: a run takes minutes.
# It reports; it never fails on a timing. It exits non-zero only when it
# cannot run at all (a tool is missing, emend does not build, a command fails).

set -u

root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-${CORPUS:-$root/../shared/corpus}}
jobs=${JOBS:-2}
score=${SCORE:-$root/../shared/bin/score}
# OCRMYPDF_ARGS adds options to every ocrmypdf call, e.g. "--oversample 300"
# to make it read the 200 dpi scans at emend's resolution.
export OCRMYPDF_ARGS=${OCRMYPDF_ARGS:-}
export PATH="$PATH:/usr/local/go/bin"
# Tesseract's OpenMP threads fight with page-level parallelism; every tool
# here runs one thread per page (emend and OCRmyPDF set this themselves too,
# but only when it is unset).
export OMP_THREAD_LIMIT=1

die() { echo "bench/ocr.sh: $*" >&2; exit 1; }

# check_tools fails with the Debian packages to install for whatever is missing.
check_tools() {
	local missing=() pkgs=()
	command -v go >/dev/null || die "go is not on PATH (Go lives in /usr/local/go/bin)"
	command -v ocrmypdf >/dev/null || { missing+=(ocrmypdf); pkgs+=(ocrmypdf); }
	if ! command -v tesseract >/dev/null; then
		missing+=(tesseract); pkgs+=(tesseract-ocr-eng)
	elif ! tesseract --list-langs 2>/dev/null | grep -qx eng; then
		missing+=("tesseract's eng data"); pkgs+=(tesseract-ocr-eng)
	fi
	for t in pdftoppm pdfimages pdfinfo; do
		command -v $t >/dev/null || { missing+=($t); pkgs+=(poppler-utils); }
	done
	[ -x /usr/bin/time ] || { missing+=(/usr/bin/time); pkgs+=(time); }
	if [ ${#missing[@]} -gt 0 ]; then
		die "missing ${missing[*]}; install with: apt-get install -y $(printf '%s\n' "${pkgs[@]}" | sort -u | tr '\n' ' ')"
	fi
}

check_tools
[ -d "$corpus" ] || die "no corpus at $corpus (give CORPUS_DIR)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/emend-ocr-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/in" "$tmp/log" "$tmp/pgm" "$tmp/pgm2" \
	"$tmp/out/emend" "$tmp/out/ocrmypdf" "$tmp/out/tess" "$tmp/out/tess2"

(cd "$root" && go build -o "$tmp/emend" ./cmd/emend) || die "go build ./cmd/emend failed"
version=$(cd "$root" && git describe --always --dirty 2>/dev/null || echo unknown)

# render_dpi SCAN_DPI is emend's choice of resolution for a page
# (renderDPI in internal/clean/scan.go): the scan's own, raised to 300 below
# 250 dpi, capped at 400; 300 for a page without images.
render_dpi() {
	awk -v d="$1" 'BEGIN { if (d < 250) d = 300; if (d > 400) d = 400; printf "%d\n", d + 0.5 }'
}

# page_dpis PDF PAGES prints the scan resolution of pages 1..PAGES, one per
# line, as emend reads it from pdfimages -list: per image the smaller of
# x-ppi and y-ppi, per page the largest over its images, 0 without images.
page_dpis() {
	pdfimages -list "$1" | awk -v n="$2" '
		NR > 2 && $3 == "image" { d = ($13 < $14 ? $13 : $14); if (d > res[$1]) res[$1] = d }
		END { for (p = 1; p <= n; p++) print res[p] + 0 }'
}

# Stage the inputs under unique names: every case calls its scan scan.pdf,
# and "emend clean -o DIR" names each output after its input. All tools
# read these copies. The job lists drive the tesseract loops, one line per
# page: PDF PAGE DPI PGM OUTBASE.
cases=() pdfs=() case_pages=() case_scans=() case_dpis=()
pages=0
: >"$tmp/jobs-ready"
: >"$tmp/jobs-raster"
for f in "$corpus"/*/scan.pdf; do
	[ -f "$f" ] || continue
	name=$(basename "$(dirname "$f")")
	cp "$f" "$tmp/in/$name.pdf"
	n=$(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')
	[ -n "$n" ] && [ "$n" -gt 0 ] || die "pdfinfo cannot count the pages of $f"
	scans="" dpis=""
	p=0
	while read -r scan; do
		p=$((p + 1))
		dpi=$(render_dpi "$scan")
		page=$(printf '%s-p%03d' "$name" "$p")
		echo "$tmp/in/$name.pdf $p $dpi $tmp/pgm/$page.pgm $tmp/out/tess/$page" >>"$tmp/jobs-ready"
		echo "$tmp/in/$name.pdf $p $dpi $tmp/pgm2/$page.pgm $tmp/out/tess2/$page" >>"$tmp/jobs-raster"
		case ",$scans," in *",$scan,"*) ;; *) scans="${scans:+$scans,}$scan" ;; esac
		case ",$dpis," in *",$dpi,"*) ;; *) dpis="${dpis:+$dpis,}$dpi" ;; esac
	done < <(page_dpis "$f" "$n")
	cases+=("$name") pdfs+=("$tmp/in/$name.pdf") case_pages+=("$n") case_scans+=("$scans") case_dpis+=("$dpis")
	pages=$((pages + n))
done
[ ${#cases[@]} -gt 0 ] || die "no */scan.pdf under $corpus"
case "$tmp" in *[[:space:]]*) die "the temporary directory $tmp has blanks, which the xargs job lists cannot carry (set TMPDIR)" ;; esac

# Warm the disk cache with what every tool loads first, so that the first
# tool timed does not pay for reading Tesseract's model from disk.
tessdata=$(tesseract --list-langs 2>&1 | sed -n 's/^List of available languages in "\(.*\)".*/\1/p')
cat "$tessdata/eng.traineddata" >/dev/null 2>&1
ocrmypdf --version >/dev/null 2>&1

# tree_sampler PID prints, when PID has ended, the peak over samples taken
# every 0.2 s of the summed RSS and the summed PSS (kB) of PID's
# descendants. /usr/bin/time -v only knows the largest single process,
# which for OCRmyPDF and xargs is one Tesseract among several. PSS splits
# pages shared between processes (libraries, a forked Python's heap) among
# them, so it does not count them twice as the RSS sum does. Sampling can
# miss a spike shorter than 0.2 s: the peaks are lower bounds. It runs
# niced, and costs about 10 ms of CPU a sample.
tree_sampler() {
	local root=$1 peak_rss=0 peak_pss=0 rss files pss
	while kill -0 "$root" 2>/dev/null; do
		# One ps pass: the descendants of root, their RSS sum, and the
		# smaps_rollup files that give their PSS.
		read -r rss files < <(ps -e -o pid=,ppid=,rss= | awk -v root="$root" '
			{ parent[$1] = $2; rss[$1] = $3 }
			END {
				tree[root] = 1
				do {
					grew = 0
					for (p in parent) if (!(p in tree) && (parent[p] in tree)) { tree[p] = 1; grew = 1 }
				} while (grew)
				sum = 0; list = ""
				for (p in tree) if (p != root) { sum += rss[p]; list = list " /proc/" p "/smaps_rollup" }
				print sum list
			}')
		pss=0
		if [ -n "$files" ]; then
			# shellcheck disable=SC2086 # a list of paths without blanks
			pss=$(cat $files 2>/dev/null | awk '/^Pss:/ { s += $2 } END { print s + 0 }')
		fi
		[ "${rss:-0}" -gt "$peak_rss" ] && peak_rss=$rss
		[ "$pss" -gt "$peak_pss" ] && peak_pss=$pss
		sleep 0.2
	done
	echo "$peak_rss $peak_pss"
}

# measure NAME CMD... runs CMD once under /usr/bin/time -v with the tree
# sampler beside it, and sets NAME_wall, NAME_cpu (user + system of the
# whole tree: time counts every descendant that was waited for), NAME_rss
# (largest single process, kB), NAME_tree_rss and NAME_tree_pss (sampled
# sums, kB). A command that fails ends the script: the comparison would be
# meaningless.
measure() {
	local name=$1
	shift
	/usr/bin/time -v -o "$tmp/log/$name.time" "$@" >"$tmp/log/$name.out" 2>"$tmp/log/$name.err" &
	local pid=$!
	nice -n 10 bash -c "$(declare -f tree_sampler); tree_sampler $pid" >"$tmp/log/$name.tree" &
	local sampler=$!
	wait "$pid"
	local rc=$?
	wait "$sampler"
	if [ $rc -ne 0 ]; then
		echo "bench/ocr.sh: $name failed (exit $rc): $*" >&2
		tail -n 20 "$tmp/log/$name.err" >&2
		exit 1
	fi
	local w c r tr tp
	read -r w c r < <(awk -F': ' '
		/User time/ { u = $2 }
		/System time/ { s = $2 }
		/Maximum resident set size/ { m = $2 }
		/Elapsed \(wall clock\)/ {
			n = split($2, t, ":"); w = 0
			for (i = 1; i <= n; i++) w = w * 60 + t[i]
		}
		END { printf "%.2f %.2f %d\n", w, u + s, m }' "$tmp/log/$name.time")
	read -r tr tp <"$tmp/log/$name.tree"
	printf -v "${name}_wall" %s "$w"
	printf -v "${name}_cpu" %s "$c"
	printf -v "${name}_rss" %s "$r"
	printf -v "${name}_tree_rss" %s "${tr:-0}"
	printf -v "${name}_tree_pss" %s "${tp:-0}"
}

# line LABEL NAME prints one row of the table from measure's variables.
line() {
	local w=${2}_wall c=${2}_cpu r=${2}_rss tr=${2}_tree_rss tp=${2}_tree_pss
	awk -v l="$1" -v w="${!w}" -v c="${!c}" -v r="${!r}" -v tr="${!tr}" -v tp="${!tp}" -v P="$pages" 'BEGIN {
		printf "%-40s %7.1f %7.1f %6d %9.1f %9.1f %8.0f %8.0f %8.0f\n", l, w, c, P, P / w * 60, P / c * 60, r / 1024, tr / 1024, tp / 1024
	}'
}

# --- the runs -------------------------------------------------------------

# OCRmyPDF takes one file at a time and parallelizes its pages, so the
# files go one after another. --skip-text OCRs every page of these
# image-only PDFs and keeps their images; --force-ocr would do the same OCR
# and also re-encode every page's rasterized image into the output, work
# emend does not do. -O0 and --output-type pdf skip the optimization and
# PDF/A conversion, which are not OCR either.
ocrmypdf_all() {
	local out=$1 f n
	shift
	for f; do
		n=$(basename "$f" .pdf)
		# shellcheck disable=SC2086 # OCRMYPDF_ARGS is a list of options
		ocrmypdf -q -j "$JOBS" -O0 --output-type pdf --skip-text --tesseract-timeout 1800 $OCRMYPDF_ARGS \
			--sidecar "$out/$n.txt" "$f" "$out/$n.pdf" || return 1
	done
}
export -f ocrmypdf_all
export JOBS=$jobs

echo "emend $version, $(go version | cut -d' ' -f3), $(tesseract --version 2>&1 | head -1), OCRmyPDF $(ocrmypdf --version 2>&1), $(pdftoppm -v 2>&1 | head -1)"
# nproc obeys OMP_THREAD_LIMIT, which is set to 1 above.
cpus=$(env -u OMP_THREAD_LIMIT nproc)
echo "$cpus CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?) before the runs; $jobs workers everywhere, OMP_THREAD_LIMIT=1"
echo "${#cases[@]} scanned PDFs from $corpus, $pages pages:"
for i in "${!cases[@]}"; do
	printf '  %-18s %2d pages, scanned at %s dpi, rasterized at %s dpi\n' "${cases[$i]}" "${case_pages[$i]}" "${case_scans[$i]}" "${case_dpis[$i]}"
done
echo "One run of each: the machine may be shared and busy, so wall times are noisy;"
echo "CPU seconds (and pages per CPU minute) move less with other load."
echo

# Rasterize every page for the bare tesseract loop, as emend does it
# (pdftoppm -r DPI -gray, one page per call, PGM). Not part of that loop's
# time, but timed to show what rasterizing costs.
measure raster xargs -a "$tmp/jobs-ready" -P "$jobs" -n 5 sh -c 'exec pdftoppm -r "$3" -gray -f "$2" -l "$2" "$1" >"$4"' sh

# emend: one process for all files, -o naming a directory. Both emend and
# OCRmyPDF give up on a page whose OCR outlasts a timeout (minutes by
# default), and a busy machine can stretch a page that far: both get 30 minutes, so
# that load slows a run down instead of dropping pages from it.
measure emend "$tmp/emend" clean -j "$jobs" --page-timeout 30m -o "$tmp/out/emend/" "${pdfs[@]}"

measure ocrmypdf bash -c 'ocrmypdf_all "$@"' _ "$tmp/out/ocrmypdf" "${pdfs[@]}"

# The bare loop: one tesseract process per page, which loads the model
# every time (emend keeps one client per worker); plain text out. --dpi
# gives Tesseract the resolution, as emend does (a PGM carries none).
measure tess xargs -a "$tmp/jobs-ready" -P "$jobs" -n 5 sh -c 'exec tesseract --dpi "$3" "$4" "$5"' sh

# The same with each page's rasterization inside its job, as in emend.
measure tess2 xargs -a "$tmp/jobs-raster" -P "$jobs" -n 5 sh -c \
	'pdftoppm -r "$3" -gray -f "$2" -l "$2" "$1" >"$4" && exec tesseract --dpi "$3" "$4" "$5"' sh

printf "%-40s %7s %7s %6s %9s %9s %8s %8s %8s\n" "run" "wall s" "cpu s" "pages" "pages/min" "cpu p/min" "RSS MB" "tree RSS" "tree PSS"
line "emend clean -j $jobs, all files" emend
line "ocrmypdf -j $jobs --skip-text, file by file" ocrmypdf
line "tesseract x$jobs, pages rasterized" tess
line "pdftoppm + tesseract x$jobs, per page" tess2
line "(pdftoppm x$jobs alone, the rasterizing)" raster
echo
echo "cpu p/min: pages per minute of CPU (user + system, whole process tree)."
echo "RSS MB: peak of the largest single process (/usr/bin/time -v)."
echo "tree RSS / tree PSS (MB): peak over samples every 0.2 s of the whole process tree,"
echo "  summed; PSS counts a page shared by several processes once in all. Lower bounds."
echo "load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?) after the runs"
if awk -v l="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)" -v n="$cpus" 'BEGIN { exit !(l > n) }'; then
	echo "The load is above the CPU count: other work shared the cores, and wall times include"
	echo "waiting for them. Compare the CPU columns, or run again on a quiet machine."
fi
echo

# ratio LABEL NAME: emend's pages per minute over NAME's, on wall and CPU
# time; above 1 means emend is faster.
ratio() {
	local w=${2}_wall c=${2}_cpu
	awk -v l="$1" -v ew="$emend_wall" -v ec="$emend_cpu" -v w="${!w}" -v c="${!c}" 'BEGIN {
		printf "emend / %-40s pages/min %5.2fx, per CPU minute %5.2fx\n", l, w / ew, c / ec
	}'
}
ratio "OCRmyPDF" ocrmypdf
ratio "tesseract loop, pages rasterized before" tess
ratio "tesseract loop, rasterizing included" tess2

# --- quality --------------------------------------------------------------

if [ ! -x "$score" ]; then
	echo
	echo "no scorer at $score (set SCORE=BIN): quality not measured"
	exit 0
fi

# field JSON NAME prints a number from score's one-line JSON.
field() { sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p" <<<"$1"; }

echo
echo "Quality against each case's gold.md ($score; CER lower is better):"
printf "%-18s %10s %6s %6s %13s %6s %6s %14s\n" "case" "emend CER" "markP" "markR" "OCRmyPDF CER" "markP" "markR" "tesseract CER"
sums=(0 0 0 0 0 0 0)
for i in "${!cases[@]}"; do
	c=${cases[$i]}
	gold=$corpus/$c/gold.md
	# The loop wrote one text per page; a case's text is its pages in order.
	cat "$tmp/out/tess/$c"-p*.txt >"$tmp/out/tess/$c.txt"
	e=$("$score" "$gold" "$tmp/out/emend/$c.md") || die "score failed on emend's $c.md"
	o=$("$score" "$gold" "$tmp/out/ocrmypdf/$c.txt") || die "score failed on OCRmyPDF's $c.txt"
	t=$("$score" "$gold" "$tmp/out/tess/$c.txt") || die "score failed on tesseract's $c.txt"
	row=("$(field "$e" CER)" "$(field "$e" MarkP)" "$(field "$e" MarkR)" \
		"$(field "$o" CER)" "$(field "$o" MarkP)" "$(field "$o" MarkR)" "$(field "$t" CER)")
	printf "%-18s %10.4f %6.2f %6.2f %13.4f %6.2f %6.2f %14.4f\n" "$c" "${row[@]}"
	for k in "${!row[@]}"; do sums[$k]=$(awk -v a="${sums[$k]}" -v b="${row[$k]}" 'BEGIN { print a + b }'); done
done
n=${#cases[@]}
means=()
for k in "${!sums[@]}"; do means+=("$(awk -v s="${sums[$k]}" -v n="$n" 'BEGIN { print s / n }')"); done
printf "%-18s %10.4f %6.2f %6.2f %13.4f %6.2f %6.2f %14.4f\n" "mean of $n cases" "${means[@]}"
echo
awk -v e="${means[0]}" -v o="${means[3]}" -v t="${means[6]}" -v ew="$emend_wall" -v ow="$ocrmypdf_wall" -v P="$pages" 'BEGIN {
	printf "mean CER: emend %.4f at %.1f pages/min; OCRmyPDF %.4f at %.1f pages/min", e, P / ew * 60, o, P / ow * 60
	printf " (raw tesseract at emend'"'"'s resolution: %.4f)\n", t
}'
echo "OCRmyPDF reads each scan at its own resolution (200 dpi for the bilevel scans); emend"
echo "and the tesseract loop raise those to 300 dpi. markP/markR: footnote markers (the"
echo "plain texts of OCRmyPDF and tesseract have none in [^N] form, so 0 is expected)."
