// Claims a run for one worker (compare-and-set, Store.claimRun). Setting _claimLock first takes
// the node's write lock BEFORE status and worker are read: a concurrent claimer blocks here and,
// once the first commits, reads the winner's values and fails the test (no lost update). The
// lock is held to the end of the transaction; the marker property itself is removed at once.
MATCH (r:Run {id: $runId})
SET r._claimLock = true
WITH r
REMOVE r._claimLock
WITH r, (r.status IN $expectedStatuses
  AND ($anyWorker OR (r.worker IS NULL AND $expectedWorker IS NULL) OR coalesce(r.worker = $expectedWorker, false))) AS matches
FOREACH (ignored IN CASE WHEN matches THEN [1] ELSE [] END |
  SET r.status = 'running', r.worker = $worker, r.error = null, r.finishedAt = null)
RETURN matches AS claimed
