// Applies a patch to a run. $patch holds only whitelisted keys (status, backend, checkpoint, error,
// worker, startedAt, finishedAt); a null value removes the property, which reads back as null.
MATCH (r:Run {id: $runId})
SET r += $patch
