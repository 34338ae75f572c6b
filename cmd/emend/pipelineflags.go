package main

import (
	"flag"
	"os"
	"path/filepath"
	"time"

	"github.com/emend/emend/dictionaries"
	"github.com/emend/emend/internal/batch"
	"github.com/emend/emend/internal/clean"
	"github.com/emend/emend/internal/ocr"
	"github.com/emend/emend/pipeline"
)

// pipelineFlags are the flags that choose how documents are cleaned,
// shared by clean and batch.
type pipelineFlags struct {
	kind        string
	ocrMode     string
	pageTimeout time.Duration
	dicts       multiFlag
}

func (p *pipelineFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.kind, "input-kind", "", "")
	fs.StringVar(&p.ocrMode, "ocr", "auto", "")
	fs.DurationVar(&p.pageTimeout, "page-timeout", ocr.DefaultPageTimeout, "")
	fs.Var(&p.dicts, "dict", "")
}

// pipelineSettings is what the flags say, checked.
type pipelineSettings struct {
	kind        pipeline.InputKind
	ocr         clean.OCRMode
	pageTimeout time.Duration
	dict        *dictionaries.Set
}

// settings checks the flags; cmd names the command in usage errors.
func (p *pipelineFlags) settings(cmd string) (pipelineSettings, error) {
	var s pipelineSettings
	if p.kind != "" {
		for _, known := range pipeline.Kinds {
			if string(known) == p.kind {
				s.kind = known
			}
		}
		if s.kind == "" {
			return s, usageError("%s: unknown input kind %q", cmd, p.kind)
		}
	}
	mode, ok := clean.ParseOCRMode(p.ocrMode)
	if !ok {
		return s, usageError("%s: unknown --ocr %q: use auto, always or never", cmd, p.ocrMode)
	}
	s.ocr = mode
	if p.pageTimeout <= 0 {
		return s, usageError("%s: --page-timeout must be positive", cmd)
	}
	s.pageTimeout = p.pageTimeout
	s.dict = dictionaries.Default()
	if len(p.dicts) > 0 {
		var err error
		if s.dict, err = s.dict.WithFiles(p.dicts...); err != nil {
			return s, usageError("%s: %v", cmd, err)
		}
	}
	return s, nil
}

// dictFiles reads the --dict files for a batch, whose workers may run on
// other machines and so get the lists by content.
func (p *pipelineFlags) dictFiles() ([]batch.DictFile, error) {
	var out []batch.DictFile
	for _, path := range p.dicts {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		out = append(out, batch.DictFile{Name: filepath.Base(path), Content: data})
	}
	return out, nil
}
