package local

import "os"

// OpenRoot opens dir as an os.Root. The transfer engine writes downloads
// through it, so that nothing a copy writes lands outside dir.
func (*FS) OpenRoot(dir string) (*os.Root, error) { return os.OpenRoot(dir) }
