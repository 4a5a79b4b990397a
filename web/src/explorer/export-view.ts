/**
 * The explorer's view as a file: PNG from sigma's own canvases (composited onto one 2D canvas right
 * after a synchronous render, while the WebGL buffers still hold the frame), SVG from what sigma
 * displays (its reduced, visible nodes and edges in viewport coordinates), so both match the screen.
 */
import type Sigma from 'sigma';
import type { EdgeAttributes, NodeAttributes } from './model.js';

type ExplorerSigma = Sigma<NodeAttributes, EdgeAttributes>;

export function viewAsPng(sigma: ExplorerSigma): Promise<Blob> {
  const { width, height } = sigma.getDimensions();
  const ratio = window.devicePixelRatio || 1;
  const out = document.createElement('canvas');
  out.width = Math.round(width * ratio);
  out.height = Math.round(height * ratio);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  sigma.refresh(); // synchronous: the WebGL layers hold this frame until the task ends
  for (const canvas of Object.values(sigma.getCanvases())) ctx.drawImage(canvas, 0, 0, out.width, out.height);
  return new Promise((resolve, reject) =>
    out.toBlob((b) => (b ? resolve(b) : reject(new Error('eqprop/web: PNG export failed'))), 'image/png'),
  );
}

const escapeXml = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

export function viewAsSvg(sigma: ExplorerSigma): string {
  const { width, height } = sigma.getDimensions();
  const graph = sigma.getGraph();
  const at = (node: string) => {
    const d = sigma.getNodeDisplayData(node)!;
    return { ...sigma.framedGraphToViewport(d), d };
  };
  const parts: string[] = [];
  graph.forEachEdge((edge, _attrs, source, target) => {
    const e = sigma.getEdgeDisplayData(edge);
    if (!e || e.hidden) return;
    const a = at(source),
      b = at(target);
    if (a.d.hidden || b.d.hidden) return;
    parts.push(
      `<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}" ` +
        `stroke="${escapeXml(e.color)}" stroke-width="${e.size.toFixed(2)}" ` +
        `data-kind="${graph.getEdgeAttribute(edge, 'kind')}"/>`,
    );
    // Edge labels (the bundles' counts) where sigma puts them: centred on the edge's midpoint.
    if (e.label) {
      parts.push(
        `<text x="${((a.x + b.x) / 2).toFixed(1)}" y="${((a.y + b.y) / 2).toFixed(1)}" ` +
          `text-anchor="middle" font-size="11" font-family="sans-serif" data-kind="edge-label">` +
          `${escapeXml(e.label)}</text>`,
      );
    }
  });
  graph.forEachNode((node, attrs) => {
    if (attrs.waypoint) return;
    const { x, y, d } = at(node);
    if (d.hidden) return;
    parts.push(
      `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${d.size.toFixed(2)}" fill="${escapeXml(d.color)}"/>`,
    );
    if (d.label) {
      parts.push(
        `<text x="${(x + d.size + 3).toFixed(1)}" y="${(y + 4).toFixed(1)}" font-size="12" font-family="sans-serif" ` +
          `data-kind="node-label">${escapeXml(d.label)}</text>`,
      );
    }
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`
  );
}

/** Hands a file to the browser's download (the anchor carries the name, and tests read its data-size). */
export function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
