//go:build !unix

package transfer_test

import "errors"

func mkfifo(string) error { return errors.ErrUnsupported }
