package remote

import "testing"

func TestRangesBrokenOnlyForModSFTP(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{
		"SSH-2.0-mod_sftp":              true,
		"SSH-2.0-mod_sftp/1.1.1":        true,
		"SSH-2.0-OpenSSH_9.2p1 Debian":  false,
		"SSH-2.0-dropbear_2022.83":      false,
		"SSH-2.0-AsyncSSH_2.10.1":       false,
		"SSH-2.0-Go":                    false,
		"SSH-2.0-OpenSSH_for_mod_sftp?": false,
	} {
		if got := rangesBroken(v); got != want {
			t.Errorf("rangesBroken(%q) = %v, want %v", v, got, want)
		}
	}
}
