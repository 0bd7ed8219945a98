import { useEffect, useState } from "react";
import type { LayoutRequest, LayoutResult } from "./layout";

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, (r: { result?: LayoutResult; error?: string }) => void>();

function layoutWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (e: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>) => {
      pending.get(e.data.id)?.(e.data);
      pending.delete(e.data.id);
    };
  }
  return worker;
}

/** Create the worker ahead of the first layout (its module loads while the graph's data does). */
export function warmLayoutWorker(): void {
  layoutWorker();
}

// The last few layouts by shape: coming back to the page, or a refresh that changed only statuses,
// does not lay out again.
const cache = new Map<string, LayoutResult>();
const CACHED = 4;

export function layoutInWorker(request: LayoutRequest): Promise<LayoutResult> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending.set(id, (r) => (r.result ? resolve(r.result) : reject(new Error(r.error ?? "layout failed"))));
    layoutWorker().postMessage({ id, request });
  });
}

/** The layout of a graph, computed in the worker; null until it arrives. `key` names the graph's shape. */
export function useLayout(key: string, request: LayoutRequest | null): { layout: LayoutResult | null; error: string | null } {
  const [state, setState] = useState<{ key: string; layout: LayoutResult | null; error: string | null }>(() => ({ key, layout: cache.get(key) ?? null, error: null }));
  useEffect(() => {
    if (!request) return;
    const known = cache.get(key);
    if (known) {
      setState((s) => (s.layout === known ? s : { key, layout: known, error: null }));
      return;
    }
    let live = true;
    layoutInWorker(request).then(
      (layout) => {
        cache.delete(key);
        cache.set(key, layout);
        if (cache.size > CACHED) cache.delete(cache.keys().next().value!);
        if (live) setState({ key, layout, error: null });
      },
      (e: Error) => live && setState({ key, layout: null, error: e.message }),
    );
    return () => {
      live = false;
    };
    // The request is derived from the key: lay out again only when the graph's shape changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state.key === key ? state : { layout: cache.get(key) ?? state.layout, error: null };
}
