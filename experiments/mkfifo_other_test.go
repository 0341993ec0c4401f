//go:build !unix

package experiments

import "errors"

func mkfifo(string) error { return errors.New("syscall.Mkfifo is not supported") }
