/**
 * The single-page app: a hash router over four pages. Each page renders into #app and returns a
 * cleanup function (stops live streams, frees the WebGL context) that runs when the page changes.
 */
import './style.css';
import { api, type ServerInfo } from './api.js';
import { $, showError } from './dom.js';
import { renderTopologies } from './pages/topologies.js';
import { renderExplorer } from './pages/explorer.js';
import { renderRuns } from './pages/runs.js';
import { renderQuery } from './pages/query.js';
import { renderPredictors } from './pages/predictors.js';

export type Page = (
  root: HTMLElement,
  args: string[],
  params: URLSearchParams,
  info: ServerInfo,
) => (() => void) | undefined;

const PAGES: Record<string, Page> = {
  topologies: renderTopologies,
  explorer: renderExplorer,
  runs: renderRuns,
  query: renderQuery,
  predictors: renderPredictors,
};

let cleanup: (() => void) | undefined;
let info: ServerInfo;

function route(): void {
  const hash = location.hash.replace(/^#\/?/, '') || 'topologies';
  const [path, search = ''] = hash.split('?');
  const [name = 'topologies', ...args] = path!.split('/').filter(Boolean).map(decodeURIComponent);
  const page = PAGES[name] ?? renderTopologies;
  if (cleanup) cleanup();
  const root = $('#app');
  root.replaceChildren();
  root.dataset.page = name;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    a.classList.toggle('active', a.dataset.page === name);
  }
  try {
    cleanup = page(root, args, new URLSearchParams(search), info);
  } catch (e) {
    showError(e);
  }
}

async function boot(): Promise<void> {
  try {
    info = await api<ServerInfo>('/api/info');
    $('#store-info').textContent = `store: ${info.store.kind} (${info.store.location}) · v${info.version}`;
  } catch (e) {
    showError(e);
    info = { version: '?', store: { kind: 'sqlite', location: '?' }, cypher: false, tokenRequired: false };
  }
  window.addEventListener('hashchange', route);
  route();
}

void boot();
