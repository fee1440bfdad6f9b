package servertest

// Option changes how Start sets up a server.
type Option func(*settings)

// settings is what the options collect before Start uses them.
type settings struct {
	dir string
}

// WithDir makes dir the directory SFTP sessions start in, instead of a
// fresh t.TempDir(). The directory must exist, and its path may not contain
// white space, quotes, backslashes, '%', '$' or '`', which a server's
// configuration or shell would interpret.
func WithDir(dir string) Option {
	return func(s *settings) { s.dir = dir }
}
