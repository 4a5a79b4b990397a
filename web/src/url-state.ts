/**
 * Page state in the URL's hash query (#/runs?status=done&sort=-epochs), so a view can be shared and
 * reloaded. Writes use history.replaceState: they change the address without a hashchange, so the page
 * is not rendered again on every keystroke, and the back button is not flooded with filter edits.
 */

/** The current hash's path ("runs/abc") and its query. */
export function currentHash(): { path: string; params: URLSearchParams } {
  const [path = '', search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { path, params: new URLSearchParams(search) };
}

/** Set (or, for '', null and undefined, remove) these keys of the hash query, keeping the others. */
export function writeHashParams(update: Record<string, string | number | null | undefined>): void {
  const { path, params } = currentHash();
  for (const [key, value] of Object.entries(update)) {
    if (value === null || value === undefined || value === '') params.delete(key);
    else params.set(key, String(value));
  }
  const query = params.toString();
  const next = `#/${path}${query ? `?${query}` : ''}`;
  if (location.hash !== next) history.replaceState(null, '', next);
}
