/**
 * Server-Sent Events over an Express response: headers, one `event:`/`data:` frame per message,
 * and a comment heartbeat so proxies and browsers keep idle streams open.
 */
import type { Response } from 'express';

export interface SseStream {
  send(event: string, data: unknown, id?: number): void;
  close(): void;
  onClose(fn: () => void): void;
}

export function openSse(res: Response, heartbeatMs = 15_000): SseStream {
  res.status(200);
  res.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write(': stream open\n\n');
  const closers: (() => void)[] = [];
  let closed = false;
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
  heartbeat.unref();
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const fn of closers) fn();
  };
  res.on('close', finish);
  return {
    send(event, data, id) {
      if (closed) return;
      res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      finish();
      res.end();
    },
    onClose(fn) {
      closers.push(fn);
    },
  };
}
