import { lazy, Suspense, useMemo } from "react";
import { Loading, ErrorView } from "../components/Status";
import { CANVAS_THRESHOLD, NODE_H, NODE_W, shapeKey, type GraphModel, type GraphNode } from "./model";
import { useLayout, warmLayoutWorker } from "./useLayout";

const FlowGraph = lazy(() => import("./FlowGraph").then((m) => ({ default: m.FlowGraph })));
const loadCanvasGraph = () => import("./CanvasGraph");
const CanvasGraph = lazy(() => loadCanvasGraph().then((m) => ({ default: m.CanvasGraph })));

/** Start loading the large-graph renderer and the layout worker while the graph's data loads. */
export function preloadGraph(): void {
  void loadCanvasGraph();
  warmLayoutWorker();
}

/** A DAG laid out in the worker, drawn by React Flow when small and on a 2D canvas when large. */
export function GraphView(props: {
  model: GraphModel;
  selected: Set<string>;
  match: (n: GraphNode) => boolean;
  focus: string | null;
  onSelect: (id: string, additive: boolean) => void;
  onOpen: (id: string) => void;
}) {
  const { model } = props;
  const key = useMemo(() => shapeKey(model), [model]);
  const request = useMemo(
    () => ({
      nodes: model.nodes.map((n) => ({ id: n.id, width: NODE_W, height: NODE_H, group: n.group })),
      edges: model.edges,
    }),
    [model],
  );
  const { layout, error } = useLayout(key, request);
  if (error) return <ErrorView error={error} title="Layout" />;
  if (!layout) return <Loading what={`the layout of ${model.nodes.length.toLocaleString()} nodes`} />;
  const canvas = model.nodes.length > CANVAS_THRESHOLD;
  return (
    <Suspense fallback={<Loading what="the graph" />}>
      <div data-testid="graph" data-renderer={canvas ? "canvas" : "reactflow"} data-engine={layout.engine} data-layout-ms={Math.round(layout.ms)} style={{ position: "absolute", inset: 0 }}>
        {canvas ? <CanvasGraph {...props} layout={layout} /> : <FlowGraph {...props} layout={layout} />}
      </div>
    </Suspense>
  );
}
