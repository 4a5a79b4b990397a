/**
 * The repository's import graph as the TypeScript compiler sees it: every static import, re-export,
 * `import type` and dynamic `import('…')` with a literal specifier of every source file, resolved
 * with the compiler's own module resolution (NodeNext: `./x.js` names `./x.ts`).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  from: string;
  to: string;
  /** The specifier as written. */
  specifier: string;
}

const SKIP = new Set(['node_modules', 'dist', '.git']);

export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      if (SKIP.has(entry.name)) return [];
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
    });
  return folders.flatMap((f) => walk(join(root, f))).sort();
}

/** Specifiers of a file, dynamic imports included (preProcessFile finds `import('x')` too). */
function specifiersOf(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** Edges between the given files (relative to `root`); imports of packages and Node are left out. */
export function importGraph(root: string, files: readonly string[]): ImportEdge[] {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: false,
  };
  const host = ts.createCompilerHost(options);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = ts.sys.readFile(file) ?? '';
    for (const specifier of specifiersOf(text)) {
      if (!specifier.startsWith('.')) continue;
      const resolved = ts.resolveModuleName(specifier, file, options, host).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      edges.push({ from: relative(root, file), to: relative(root, resolved.resolvedFileName), specifier });
    }
  }
  return edges;
}

/** Every cycle's files, found with Tarjan's strongly connected components (components of 2+ files or a self-import). */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (next.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) found.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}
