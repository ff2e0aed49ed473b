// A Go program (built with CGO_ENABLED=0: static, its own runtime and no libc) for GoTest:
// goroutines on several threads, a timer and select, sorting, os/exec of a child, a file read
// and an exit status. Its output must match the native run.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	var wg sync.WaitGroup
	results := make([]int, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			s := 0
			for j := 0; j < 100000; j++ {
				s += j % (k + 1)
			}
			results[k] = s
		}(i)
	}
	wg.Wait()
	fmt.Println("goroutines", results)
	ch := make(chan string)
	go func() { time.Sleep(20 * time.Millisecond); ch <- "timer" }()
	select {
	case v := <-ch:
		fmt.Println("got", v)
	case <-time.After(5 * time.Second):
		fmt.Println("timeout")
	}
	words := strings.Fields("the quick brown fox jumps over the lazy dog")
	sort.Strings(words)
	fmt.Println(strings.Join(words, ","))
	out, err := exec.Command("/bin/sh", "-c", "echo child $((6*7))").Output()
	fmt.Printf("exec %q %v\n", strings.TrimSpace(string(out)), err)
	data, err := os.ReadFile("/etc/hostname")
	fmt.Println("readfile", err == nil, len(data) > 0)
	os.Exit(3)
}
