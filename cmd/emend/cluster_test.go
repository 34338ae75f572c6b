package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emend/emend/internal/batch"
)

// natsNode is one server of a test cluster.
type natsNode struct {
	proc           *batchProc
	client, mon    string // host:port
	name, storeDir string
}

// startNATSCluster starts three Debian nats-server processes with
// JetStream, routed into one cluster, and waits until JetStream is ready on
// every one (a meta leader is elected).
func startNATSCluster(t *testing.T, root string) []*natsNode {
	t.Helper()
	server := natsServer(t)
	var nodes []*natsNode
	var routes []string
	clusterAddrs := make([]string, 3)
	for i := range clusterAddrs {
		clusterAddrs[i] = batchFreeAddr(t)
		routes = append(routes, "nats://"+clusterAddrs[i])
	}
	for i := range 3 {
		n := &natsNode{client: batchFreeAddr(t), mon: batchFreeAddr(t), name: fmt.Sprintf("n%d", i+1)}
		n.storeDir = filepath.Join(root, "nats-"+n.name)
		host, port, _ := net.SplitHostPort(n.client)
		_, mport, _ := net.SplitHostPort(n.mon)
		cmd := exec.Command(server, "-js", "-n", n.name, "-a", host, "-p", port, "-m", mport, "-sd", n.storeDir,
			"--cluster_name", "emend-test", "--cluster", "nats://"+clusterAddrs[i], "--routes", strings.Join(routes, ","))
		n.proc = startProc(t, "nats-server "+n.name, cmd, root, batchEnv(), nil)
		nodes = append(nodes, n)
	}
	t.Cleanup(func() {
		for _, n := range nodes {
			if !n.proc.exited() {
				_ = n.proc.cmd.Process.Signal(syscall.SIGTERM)
			}
		}
		for _, n := range nodes {
			select {
			case <-n.proc.done:
			case <-time.After(time.Minute):
				_ = n.proc.cmd.Process.Kill()
				<-n.proc.done
			}
		}
	})
	deadline := time.Now().Add(2 * time.Minute)
	for _, n := range nodes {
		for {
			resp, err := http.Get("http://" + n.mon + "/healthz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if n.proc.exited() {
				t.Fatalf("%s ended (%s)\n%s", n.proc.name, n.proc.status(), n.proc.stderr.String())
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: JetStream not ready after 2 minutes (%v)\n%s", n.proc.name, err, n.proc.stderr.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return nodes
}

// TestBatchNATSClusterLosesANode runs a batch on a three-node JetStream
// cluster with every stream replicated three times, a worker on another
// node, and kills one node with SIGKILL mid-run: the cluster elects new
// leaders, clients reconnect, and every document still ends with exactly
// one output and one manifest line.
func TestBatchNATSClusterLosesANode(t *testing.T) {
	root := t.TempDir()
	nodes := startNATSCluster(t, root)
	docs := makeDump(t, root, 120)
	ref := cleanReference(t, root, docs)
	out := filepath.Join(root, "out")
	batchURLs := "nats://" + nodes[0].client + ",nats://" + nodes[1].client
	workerURL := "nats://" + nodes[2].client + ",nats://" + nodes[1].client

	env := batchEnv(batch.FaultEnv + "=delay:50ms")
	w := startEmend(t, "worker on n3", root, env, nil, "worker", "--nats", workerURL, "-j", "1", "--id", "n3worker")
	b := startEmend(t, "the batch", root, env, nil, "batch", "dump", "--out", "out", "--nats", batchURLs,
		"--replicas", "3", "-j", "1", "--ack-wait", "5s", "--progress", "none")
	waitForManifestLines(t, b, filepath.Join(out, batch.ManifestName), 20)
	// The node the batch lists first: its clients must fail over.
	if err := nodes[0].proc.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	b.wait(t, batchDeadline)
	b.wantCode(t, 0, "a cluster that loses one of three nodes goes on")

	perWorker := checkBatchComplete(t, out, docs, ref)
	if perWorker["n3worker"] == 0 {
		t.Errorf("the worker on the third node cleaned nothing: %v", perWorker)
	}

	w.signal(t, os.Interrupt)
	w.wait(t, batchDeadline)
	w.wantCode(t, 0, "a worker stops cleanly on SIGINT")
}
