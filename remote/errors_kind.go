package remote

// SFTPStatus returns the SFTP status code, for callers that cannot import
// this package (the transfer engine tells a full disk by it).
func (e *StatusError) SFTPStatus() uint32 { return e.Code }

// ConnectionLost reports whether the status means the connection to the
// server is gone (SSH_FX_NO_CONNECTION or SSH_FX_CONNECTION_LOST).
func (e *StatusError) ConnectionLost() bool {
	return e.Code == codeNoConnection || e.Code == codeConnectionLost
}

// NotRestored reports that the connection was lost and the session could
// not restore it: trying the same work again at once would only start
// another round of attempts. The transfer engine reads it.
func (e *ReconnectError) NotRestored() bool { return true }
