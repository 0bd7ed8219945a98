export type NodeStatus = "ok" | "fail" | "run" | "idle";

export interface GraphNode {
  id: string;
  label: string;
  sub?: string;
  group?: string;
  status: NodeStatus;
  /** A collapsed group stands for this many nodes. */
  count?: number;
}
export interface GraphEdge {
  source: string;
  target: string;
}
export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const NODE_W = 180;
export const NODE_H = 40;
/** Past this many nodes the graph is drawn on a 2D canvas (CanvasGraph) instead of by React Flow (DOM). */
export const CANVAS_THRESHOLD = 300;

/** Collapse groups: their nodes become one node ("group:NAME"); edges are re-pointed and deduplicated. */
export function collapseGroups(model: GraphModel, collapsed: Set<string>): GraphModel {
  if (collapsed.size === 0) return model;
  const alias = new Map<string, string>();
  const groups = new Map<string, GraphNode>();
  const nodes: GraphNode[] = [];
  for (const n of model.nodes) {
    if (n.group && collapsed.has(n.group)) {
      const id = `group:${n.group}`;
      alias.set(n.id, id);
      const g = groups.get(id);
      if (g) {
        g.count = (g.count ?? 0) + 1;
        if (n.status === "fail" || (n.status === "run" && g.status !== "fail")) g.status = n.status;
        else if (n.status === "idle" && g.status === "ok") g.status = "idle";
      } else {
        const group: GraphNode = { id, label: `${n.group} (group)`, group: n.group, status: n.status, count: 1 };
        groups.set(id, group);
        nodes.push(group);
      }
    } else nodes.push(n);
  }
  for (const g of groups.values()) g.sub = `${g.count} assets, collapsed`;
  const seen = new Set<string>();
  const edges: GraphEdge[] = [];
  for (const e of model.edges) {
    const source = alias.get(e.source) ?? e.source;
    const target = alias.get(e.target) ?? e.target;
    const key = source + "\u0000" + target;
    if (source === target || seen.has(key)) continue;
    seen.add(key);
    edges.push({ source, target });
  }
  return { nodes, edges };
}

/** The shape of a graph (ids and edges), to decide when it must be laid out again. */
export function shapeKey(model: GraphModel): string {
  let h = 0;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  };
  for (const n of model.nodes) mix(n.id);
  for (const e of model.edges) mix(e.source + ">" + e.target);
  return `${model.nodes.length}:${model.edges.length}:${h}`;
}
