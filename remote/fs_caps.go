package remote

// Separator returns "/", the separator of SFTP paths.
func (*FS) Separator() string { return "/" }
