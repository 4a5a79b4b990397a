/**
 * The bottom layer: infrastructure every other layer shares and none of them owns — errors that name
 * fields (errors.ts), file-system safety (atomic writes, directories, kernel file systems refused),
 * CRC-32, loopback and allowed-host checks, the package's own files, unsafe characters in names.
 * It imports nothing of this repository; every other layer imports it through this file.
 */
export {
  EqpropError,
  InputError,
  formatPath,
  isInputError,
  joinText,
  nameFromTable,
  rebaseText,
  ref,
  renderText,
  text,
  type InputErrorKind,
  type MessageText,
} from './errors.js';
export { removeStaleTempFiles, removeStaleTempFilesOf, writeFileAtomic, type Sink } from './fs/atomic-write.js';
export { crc32 } from './fs/crc32.js';
export { ensureDirectory, refuseKernelFileSystem } from './fs/ensure-directory.js';
export { parseAllowedHosts, splitHost } from './net/allowed-hosts.js';
export { isLoopbackHost } from './net/loopback.js';
export { eqpropBin, moduleFile, packagePath, packageRoot, packageVersion } from './package-files.js';
export { NAME_RULE, escapeForTerminal, nameProblem } from './text/unsafe-chars.js';
