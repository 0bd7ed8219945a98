import Graph from "graphology";
import { useEffect, useRef } from "react";
import Sigma from "sigma";
import type { LayoutResult } from "./layout";
import { NODE_H, NODE_W, type GraphModel, type GraphNode, type NodeStatus } from "./model";

function palette(): Record<NodeStatus | "edge" | "label" | "sel", string> {
  const s = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback;
  return { ok: v("--ok", "#15803d"), fail: v("--fail", "#b91c1c"), run: v("--run", "#1d4ed8"), idle: v("--idle", "#6b7280"), edge: v("--border", "#ccc"), label: v("--text", "#111"), sel: v("--accent", "#2563eb") };
}

declare global {
  interface Window {
    /** For the browser tests: the renderer and when the graph was first drawn. */
    __hwSigma?: { renderer: Sigma; drawnAt: number; nodes: number };
  }
}

/** sigma (WebGL): the graph past a few hundred nodes; 10,000 nodes pan and zoom smoothly. */
export function SigmaGraph({
  model,
  layout,
  selected,
  match,
  focus,
  onSelect,
  onOpen,
}: {
  model: GraphModel;
  layout: LayoutResult;
  selected: Set<string>;
  match: (n: GraphNode) => boolean;
  focus: string | null;
  onSelect: (id: string, additive: boolean) => void;
  onOpen: (id: string) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma | null>(null);
  const graph = useRef<Graph | null>(null);
  const handlers = useRef({ onSelect, onOpen });
  handlers.current = { onSelect, onOpen };
  const state = useRef({ selected, match });
  state.current = { selected, match };

  useEffect(() => {
    if (!container.current) return;
    const colors = palette();
    const g = new Graph({ type: "directed", multi: false });
    for (const n of model.nodes) {
      const p = layout.positions[n.id] ?? { x: 0, y: 0 };
      g.addNode(n.id, { x: p.x + NODE_W / 2, y: -(p.y + NODE_H / 2), size: n.count ? 7 : 4, label: n.label, color: colors[n.status], status: n.status });
    }
    for (const e of model.edges) {
      if (g.hasNode(e.source) && g.hasNode(e.target) && !g.hasEdge(e.source, e.target)) g.addEdge(e.source, e.target, { size: 1, color: colors.edge });
    }
    const renderer = new Sigma(g, container.current, {
      defaultEdgeType: "arrow",
      labelColor: { color: colors.label },
      labelRenderedSizeThreshold: 7,
      labelSize: 11,
      // Past 5,000 edges, edges are hidden while the camera moves (frames stay short on slow GPUs).
      hideEdgesOnMove: g.size > 5000,
      zIndex: true,
      nodeReducer: (node, data) => {
        const { selected: sel, match: m } = state.current;
        const n = { id: node, label: data.label as string, status: data.status as NodeStatus };
        const dim = !m(n);
        return { ...data, color: dim ? colors.edge : (data.color as string), highlighted: sel.has(node), zIndex: sel.has(node) ? 1 : 0, size: sel.has(node) ? (data.size as number) * 1.8 : (data.size as number) };
      },
    });
    renderer.on("clickNode", ({ node, event }) => handlers.current.onSelect(node, event.original.shiftKey || event.original.ctrlKey || event.original.metaKey));
    renderer.on("doubleClickNode", ({ node, preventSigmaDefault }) => {
      preventSigmaDefault();
      handlers.current.onOpen(node);
    });
    sigma.current = renderer;
    graph.current = g;
    requestAnimationFrame(() => {
      window.__hwSigma = { renderer, drawnAt: performance.now(), nodes: g.order };
    });
    return () => {
      renderer.kill();
      sigma.current = null;
      graph.current = null;
      if (window.__hwSigma?.renderer === renderer) delete window.__hwSigma;
    };
  }, [model.nodes.length, layout]); // eslint-disable-line react-hooks/exhaustive-deps

  // Live status colours: update the nodes whose status changed (sigma redraws what changed).
  useEffect(() => {
    const g = graph.current;
    if (!g) return;
    const colors = palette();
    for (const n of model.nodes) {
      if (g.hasNode(n.id) && g.getNodeAttribute(n.id, "status") !== n.status) {
        g.mergeNodeAttributes(n.id, { status: n.status, color: colors[n.status] });
      }
    }
  }, [model]);
  // Selection and search change the reducer's output: reprocess every node once.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    sigma.current?.refresh();
  }, [selected, match]);

  useEffect(() => {
    const r = sigma.current;
    if (!r || !focus || !graph.current?.hasNode(focus)) return;
    const d = r.getNodeDisplayData(focus);
    if (d) r.getCamera().animate({ x: d.x, y: d.y, ratio: 0.08 }, { duration: 400 });
  }, [focus]);

  return <div ref={container} data-testid="sigma-graph" style={{ position: "absolute", inset: 0 }} />;
}
