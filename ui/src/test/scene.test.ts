import { describe, expect, it } from "vitest";
import { layeredLayout } from "../graph/layout";
import { NODE_H, NODE_W, type GraphModel } from "../graph/model";
import { DOT_SCALE, cameraOn, drawScene, fitCamera, hitTest, makeScene, zoomAt, type DrawState } from "../graph/scene";

function tree(n: number): GraphModel {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `a${i}`, label: `a${i}`, group: `g${i % 3}`, status: i % 7 === 0 ? ("fail" as const) : ("idle" as const) }));
  const edges = nodes.slice(1).map((_, j) => ({ source: `a${(j + 1) >> 1}`, target: `a${j + 1}` }));
  return { nodes, edges };
}

function sceneOf(n: number) {
  const model = tree(n);
  const layout = { ...layeredLayout({ nodes: model.nodes.map((x) => ({ id: x.id, width: NODE_W, height: NODE_H })), edges: model.edges }), ms: 0 };
  return makeScene(model, layout);
}

/** A 2D context that records the calls the drawing makes. */
function recorder() {
  const calls: string[] = [];
  const rects: number[][] = [];
  const ctx = {
    beginPath: () => calls.push("beginPath"),
    moveTo: () => undefined,
    lineTo: () => undefined,
    bezierCurveTo: () => undefined,
    rect: (...a: number[]) => rects.push(a),
    fill: () => calls.push("fill"),
    stroke: () => calls.push("stroke"),
    fillText: () => calls.push("fillText"),
    measureText: (t: string) => ({ width: t.length * 6 }),
    set fillStyle(v: string) {
      calls.push(`fillStyle ${v}`);
    },
    strokeStyle: "",
    lineWidth: 1,
    font: "",
    textBaseline: "",
    globalAlpha: 1,
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls, rects };
}

const palette = { ok: "ok", fail: "fail", run: "run", idle: "idle", edge: "edge", text: "text", muted: "muted", panel: "panel", border: "border", sel: "sel", dim: "dim" };
const plain: DrawState = { selected: new Set(), match: () => true, searching: false, palette };

describe("the canvas scene", () => {
  it("keeps the edges between known nodes only", () => {
    const model = tree(5);
    model.edges.push({ source: "a1", target: "nowhere" });
    const scene = makeScene(model, { positions: {}, width: 0, height: 0, engine: "layered", ms: 0 });
    expect(scene.edges.length).toBe(8);
    expect(scene.width).toBeGreaterThanOrEqual(NODE_W);
  });

  it("fits the whole graph in the view, and zooms about the pointer", () => {
    const scene = sceneOf(2000);
    const cam = fitCamera(scene, 1200, 800);
    expect(cam.x * -cam.scale).toBeGreaterThanOrEqual(0);
    expect((scene.width - cam.x) * cam.scale).toBeLessThanOrEqual(1200);
    expect((scene.height - cam.y) * cam.scale).toBeLessThanOrEqual(800);
    const zoomed = zoomAt(cam, 2, 300, 200, cam.scale / 2);
    expect(zoomed.scale).toBeCloseTo(cam.scale * 2);
    expect(zoomed.x + 300 / zoomed.scale).toBeCloseTo(cam.x + 300 / cam.scale);
    expect(zoomed.y + 200 / zoomed.scale).toBeCloseTo(cam.y + 200 / cam.scale);
    expect(zoomAt(cam, 1e-6, 0, 0, cam.scale / 2).scale).toBe(cam.scale / 2);
  });

  it("finds the node under the pointer, and none between nodes", () => {
    const scene = sceneOf(2000);
    const i = scene.index.get("a1234")!;
    const cam = cameraOn(scene, i, 1000, 600, 1);
    expect(hitTest(scene, cam, 500, 300)).toBe(i);
    expect(hitTest(scene, cam, 500 - NODE_W / 2 - 30, 300)).toBe(-1);
  });

  it("draws the whole graph zoomed out as marks batched by colour, and only what is in view zoomed in", () => {
    const scene = sceneOf(10_000);
    const whole = fitCamera(scene, 1400, 900);
    expect(whole.scale).toBeLessThan(DOT_SCALE);
    const out = recorder();
    expect(drawScene(out.ctx, scene, whole, 1400, 900, plain)).toBe(10_000);
    expect(out.calls.filter((c) => c === "fill")).toHaveLength(2); // failed and never materialized
    expect(out.calls).not.toContain("fillText");
    const near = recorder();
    const visible = drawScene(near.ctx, scene, cameraOn(scene, 0, 1400, 900, 1), 1400, 900, plain);
    expect(visible).toBeGreaterThan(0);
    expect(visible).toBeLessThan(200);
    expect(near.calls.filter((c) => c === "fillText")).toHaveLength(2 * visible);
    // Between the two: boxes with their names alone.
    const mid = recorder();
    const boxes = drawScene(mid.ctx, scene, cameraOn(scene, 0, 1400, 900, 0.3), 1400, 900, plain);
    expect(mid.calls.filter((c) => c === "fillText")).toHaveLength(boxes);
  });

  it("rings the selection and the search hits when zoomed out", () => {
    const scene = sceneOf(1000);
    const cam = fitCamera(scene, 1400, 900);
    const r = recorder();
    drawScene(r.ctx, scene, { ...cam, scale: DOT_SCALE / 2 }, 1400, 900, { ...plain, selected: new Set(["a10"]), match: (n) => n.id === "a20", searching: true });
    // Dimmed marks, the hit's own mark, a ring for the hit and one for the selection.
    expect(r.calls).toContain("fillStyle dim");
    expect(r.calls.filter((c) => c === "stroke")).toHaveLength(3);
  });
});
