// Writes one epoch's results; writing the same (run, epoch) again replaces them.
MATCH (r:Run {id: $runId})
MERGE (e:Epoch {runId: $runId, epoch: toInteger($epoch)})
SET e.trainError = $trainError, e.evalError = $evalError, e.testError = $testError,
    e.durationMs = $durationMs, e.meanFreeSteps = $meanFreeSteps, e.blockErrors = $blockErrors
MERGE (r)-[:HAS_EPOCH]->(e)
