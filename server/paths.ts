/**
 * Where the server finds the files it serves and the CLI it spawns: below the package root
 * (lib/package-files.ts, which finds it from compiled and from source code alike).
 */
import { eqpropBin, packagePath, packageRoot } from '../lib/index.js';

/** The package root (the folder holding package.json). */
export const repoRoot = (): string => packageRoot();
/** The built web app (vite build web → web/dist). */
export const webDistDir = (): string => packagePath('web', 'dist');
/** The CLI launcher that training and sweep jobs run in child processes. */
export const cliPath = (): string => eqpropBin();
