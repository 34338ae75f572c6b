//go:build !unix

package browser

import "os/exec"

func ownProcessGroup(cmd *exec.Cmd) {}

// killGroup kills chromedriver; without process groups, a Chromium whose
// session was not deleted may outlive it.
func killGroup(cmd *exec.Cmd) { cmd.Process.Kill() }
