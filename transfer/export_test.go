package transfer

// SmallSizes returns o with the sizes that decide on byte ranges and
// resumes scaled down about eightfold, so that tests exercise them with
// files of a few MiB: files from 4 MiB are split into ranges of at least
// 1 MiB, and a resume rewinds 1 MiB. The resume record still starts at
// resumableFile (8 MiB). A rewind of 1 MiB is less than pkg/sftp keeps in
// flight (4.5 MiB per range), so a test that interrupts an upload must
// wait until the server holds what was sent before it does. A file has at
// most SmallMaxParts ranges, whatever round trip a busy machine measures.
func SmallSizes(o Options) Options {
	o.sizes = sizes{
		rangeMinFile: SmallRangeMinFile,
		rangeMinPart: SmallRangeMinPart,
		resumeRewind: SmallResumeRewind,
		maxParts:     SmallMaxParts,
	}
	return o
}

// The sizes SmallSizes sets.
const (
	SmallRangeMinFile = 4 << 20
	SmallRangeMinPart = 1 << 20
	SmallResumeRewind = 1 << 20
	SmallMaxParts     = 4
)
