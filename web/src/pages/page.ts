/**
 * What every page of the app is: it renders into `root` from the route's arguments and query
 * parameters, and returns the cleanup (stop live streams, free the WebGL context) the router runs
 * when the page changes. Its own module, so pages and the router import it without importing
 * each other.
 */
import type { ServerInfo } from '../api.js';

export type Page = (
  root: HTMLElement,
  args: string[],
  params: URLSearchParams,
  info: ServerInfo,
) => (() => void) | undefined;
