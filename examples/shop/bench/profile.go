package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// profiles writes the CPU and allocation profiles of the bench. The CPU
// profile starts with the first measured load and ends after the last, so
// with several scenarios it holds the warm-ups after the first too; the
// allocation profile counts from the start of the bench. Pick one
// scenario with -run to profile it alone.
type profiles struct {
	cpuFile *os.File // nil when no CPU profile is asked for
	running bool     // the CPU profile has started
	mem     string
}

// startProfiles returns the profiles to write; empty names write none.
func startProfiles(cpu, mem string) (*profiles, error) {
	p := &profiles{mem: mem}
	if cpu == "" {
		return p, nil
	}
	f, err := os.Create(cpu)
	if err != nil {
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	p.cpuFile = f
	return p, nil
}

// measuring starts the CPU profile unless it runs already.
func (p *profiles) measuring() error {
	if p.cpuFile == nil || p.running {
		return nil
	}
	if err := pprof.StartCPUProfile(p.cpuFile); err != nil {
		return fmt.Errorf("-cpuprofile: %w", err)
	}
	p.running = true
	return nil
}

// stop ends the CPU profile and writes the allocation profile.
func (p *profiles) stop() error {
	if p.cpuFile != nil {
		pprof.StopCPUProfile()
		if err := p.cpuFile.Close(); err != nil {
			return fmt.Errorf("-cpuprofile: %w", err)
		}
	}
	if p.mem == "" {
		return nil
	}
	f, err := os.Create(p.mem)
	if err != nil {
		return fmt.Errorf("-memprofile: %w", err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("-memprofile: %w", err)
	}
	return f.Close()
}
