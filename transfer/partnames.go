package transfer

import "strings"

// IsTempName reports whether name is a temporary file the engine writes a
// copy to before renaming it into place (see TempPath).
func IsTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.HasSuffix(name, partSuffix) && len(name) > len(partSuffix)+1
}

// MetaPath is the resume record the engine keeps beside the temporary file
// tmp (see TempPath): removing tmp by hand should remove it too.
func MetaPath(tmp string) string { return metaPath(tmp) }
