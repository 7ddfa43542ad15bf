package practice

import "observatory/internal/media"

// ImagesInUse reports the images named by any revision of any practice,
// published or not: an old revision can be restored, and its images must
// still be there when it is.
var ImagesInUse = media.InRecords(`SELECT practice_id, number, record FROM practice_revisions`, "practice %d, revision %d")
