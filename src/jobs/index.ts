/**
 * The surface of src/jobs/: the job runner (a training or sweep job in a child process). Other
 * layers import from here only (test/architecture/layers.test.ts).
 */
export { startJob, type JobCommand, type JobExit, type RunningJob } from './job-runner.js';
