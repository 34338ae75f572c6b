package stages_test

import (
	"context"
	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/input"
	"github.com/emend/emend/pipeline"
	"github.com/emend/emend/stages"
	"os"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
func BenchmarkProf(b *testing.B) {
	data, _ := os.ReadFile(os.Getenv("PROF_IN"))
	ch := stages.Chain(dictionaries.Default())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	t0 := cpuNow()
	for i := 0; i < b.N; i++ {
		doc, err := input.Read("x", data, "")
		if err != nil {
			b.Fatal(err)
		}
		if err := ch.Run(context.Background(), doc); err != nil {
			b.Fatal(err)
		}
		_ = pipeline.Markdown(doc)
	}
	cpu := cpuNow() - t0
	b.ReportMetric(float64(len(data))*float64(b.N)/cpu.Seconds()/1e6, "cpuMB/s")
}
