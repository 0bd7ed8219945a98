import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { memo, useMemo } from "react";
import type { LayoutResult } from "./layout";
import type { GraphModel, GraphNode } from "./model";

type Data = { node: GraphNode; selected: boolean; dim: boolean };

const AssetBox = memo(function AssetBox({ data }: NodeProps<Node<Data>>) {
  const { node, selected, dim } = data;
  return (
    <div className={`gnode ${node.status} ${selected ? "sel" : ""}`} style={{ opacity: dim ? 0.35 : 1 }} data-node={node.id} data-status={node.status}>
      <Handle type="target" position={Position.Left} style={{ visibility: "hidden" }} />
      <div className="k" title={node.label}>{node.label}</div>
      <div className="g ellipsis">{node.sub ?? node.group ?? ""}</div>
      <Handle type="source" position={Position.Right} style={{ visibility: "hidden" }} />
    </div>
  );
});
const nodeTypes = { box: AssetBox };

/** React Flow (DOM nodes): for graphs up to a few hundred nodes. */
export function FlowGraph({
  model,
  layout,
  selected,
  match,
  onSelect,
  onOpen,
}: {
  model: GraphModel;
  layout: LayoutResult;
  selected: Set<string>;
  match: (n: GraphNode) => boolean;
  onSelect: (id: string, additive: boolean) => void;
  onOpen: (id: string) => void;
}) {
  const nodes = useMemo<Node<Data>[]>(
    () =>
      model.nodes.map((n) => ({
        id: n.id,
        type: "box",
        position: layout.positions[n.id] ?? { x: 0, y: 0 },
        data: { node: n, selected: selected.has(n.id), dim: !match(n) },
        draggable: false,
      })),
    [model, layout, selected, match],
  );
  const edges = useMemo<Edge[]>(
    () =>
      model.edges.map((e) => ({
        id: `${e.source}->${e.target}`,
        source: e.source,
        target: e.target,
        style: { stroke: "var(--muted)", strokeWidth: 1.2 },
      })),
    [model],
  );
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      fitView
      fitViewOptions={{ maxZoom: 1 }}
      minZoom={0.05}
      nodesConnectable={false}
      onNodeClick={(e, n) => onSelect(n.id, e.shiftKey || e.metaKey || e.ctrlKey)}
      onNodeDoubleClick={(_, n) => onOpen(n.id)}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={24} color="var(--border)" />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
