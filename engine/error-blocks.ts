/**
 * The block length of the running training error. Its own module, free of TensorFlow and Node,
 * because the web app labels a run's blocks with it (engine/trainer.ts pulls in the backends).
 */

/** Batches per block of the running training error (the paper's Fig. 5 counts it over an epoch). */
export const ERROR_BLOCK_BATCHES = 500;
