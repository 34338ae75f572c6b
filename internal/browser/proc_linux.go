package browser

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup puts cmd in a process group of its own, so that
// killGroup reaches the Chromium processes chromedriver starts as well,
// and has the kernel kill it if this process dies without Close (a test
// binary stopped by -timeout, say). Chromium, talking to chromedriver
// over a pipe (--remote-debugging-pipe), then quits on its own.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills cmd's process group: chromedriver and any Chromium left
// behind by a session that was not deleted.
func killGroup(cmd *exec.Cmd) {
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		cmd.Process.Kill()
	}
}
