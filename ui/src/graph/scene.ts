// The large graph's scene on a 2D canvas: node boxes and edges in layout (world) coordinates, the
// camera over them, hit tests, and the drawing at three levels of detail. Pure but for the drawing,
// which takes any CanvasRenderingContext2D (on screen or an offscreen bitmap).
import type { LayoutResult } from "./layout";
import { NODE_H, NODE_W, type GraphModel, type GraphNode, type NodeStatus } from "./model";

/** The world point at the canvas' top-left corner, and the CSS pixels per world unit. */
export interface Camera {
  x: number;
  y: number;
  scale: number;
}

export interface Scene {
  nodes: GraphNode[];
  /** Top-left corner of each node (index as in `nodes`). */
  xs: Float64Array;
  ys: Float64Array;
  index: Map<string, number>;
  /** Pairs of node indexes: source, target. */
  edges: Int32Array;
  width: number;
  height: number;
}

export const MAX_SCALE = 3;
/** Past this scale, boxes carry their names; below DOT_SCALE nodes are status-coloured marks. */
export const TEXT_SCALE = 0.55;
export const DOT_SCALE = 0.16;
/** Between NAME_SCALE and TEXT_SCALE boxes carry their name alone, in a small font. */
export const NAME_SCALE = 0.28;

export function makeScene(model: GraphModel, layout: LayoutResult): Scene {
  const n = model.nodes.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const index = new Map<string, number>();
  model.nodes.forEach((node, i) => {
    const p = layout.positions[node.id] ?? { x: 0, y: 0 };
    xs[i] = p.x;
    ys[i] = p.y;
    index.set(node.id, i);
  });
  const pairs: number[] = [];
  for (const e of model.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s !== undefined && t !== undefined && s !== t) pairs.push(s, t);
  }
  let width = layout.width;
  let height = layout.height;
  for (let i = 0; i < n; i++) {
    width = Math.max(width, xs[i] + NODE_W);
    height = Math.max(height, ys[i] + NODE_H);
  }
  return { nodes: model.nodes, xs, ys, index, edges: Int32Array.from(pairs), width, height };
}

/** The camera that shows the whole graph in a viewport of `w` x `h` CSS pixels (never magnified past 1). */
export function fitCamera(scene: Scene, w: number, h: number, pad = 24): Camera {
  const scale = Math.min(1, Math.max(1e-4, Math.min((w - 2 * pad) / Math.max(1, scene.width), (h - 2 * pad) / Math.max(1, scene.height))));
  return { scale, x: scene.width / 2 - w / 2 / scale, y: scene.height / 2 - h / 2 / scale };
}

/** Zoom by `factor` keeping the world point under the screen point (sx, sy) in place. */
export function zoomAt(camera: Camera, factor: number, sx: number, sy: number, minScale: number): Camera {
  const scale = Math.min(MAX_SCALE, Math.max(minScale, camera.scale * factor));
  const wx = camera.x + sx / camera.scale;
  const wy = camera.y + sy / camera.scale;
  return { scale, x: wx - sx / scale, y: wy - sy / scale };
}

/** The camera centred on a node at `scale`. */
export function cameraOn(scene: Scene, i: number, w: number, h: number, scale: number): Camera {
  return { scale, x: scene.xs[i] + NODE_W / 2 - w / 2 / scale, y: scene.ys[i] + NODE_H / 2 - h / 2 / scale };
}

/** The node under the screen point (sx, sy), or -1; small marks get a few pixels of slack. */
export function hitTest(scene: Scene, camera: Camera, sx: number, sy: number): number {
  const wx = camera.x + sx / camera.scale;
  const wy = camera.y + sy / camera.scale;
  const slack = 3 / camera.scale;
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < scene.nodes.length; i++) {
    const dx = Math.max(scene.xs[i] - wx, 0, wx - scene.xs[i] - NODE_W);
    const dy = Math.max(scene.ys[i] - wy, 0, wy - scene.ys[i] - NODE_H);
    if (dx > slack || dy > slack) continue;
    const d = dx + dy;
    if (d < bestD) {
      best = i;
      bestD = d;
      if (d === 0) break;
    }
  }
  return best;
}

export type Palette = Record<NodeStatus | "edge" | "text" | "muted" | "panel" | "border" | "sel" | "dim", string>;

export interface DrawState {
  selected: Set<string>;
  match: (n: GraphNode) => boolean;
  /** Whether a search is active (matches are then drawn larger when zoomed out). */
  searching: boolean;
  palette: Palette;
}

/** The world rectangle a viewport of `w` x `h` CSS pixels shows. */
function view(camera: Camera, w: number, h: number) {
  return { x0: camera.x, y0: camera.y, x1: camera.x + w / camera.scale, y1: camera.y + h / camera.scale };
}

/**
 * Draw the scene as the camera sees it into `ctx` (whose transform maps CSS pixels to its pixels).
 * Only what intersects the view is drawn; fills and strokes are batched by colour (a few paths in all).
 */
export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, camera: Camera, w: number, h: number, state: DrawState): number {
  const { x0, y0, x1, y1 } = view(camera, w, h);
  const s = camera.scale;
  const { palette } = state;
  const sx = (x: number) => (x - camera.x) * s;
  const sy = (y: number) => (y - camera.y) * s;
  const visible: number[] = [];
  for (let i = 0; i < scene.nodes.length; i++) {
    if (scene.xs[i] + NODE_W >= x0 && scene.xs[i] <= x1 && scene.ys[i] + NODE_H >= y0 && scene.ys[i] <= y1) visible.push(i);
  }
  // Edges: from the right side of the source to the left side of the target; straight lines when
  // zoomed out, curves when the boxes are readable.
  ctx.beginPath();
  const e = scene.edges;
  const curved = s >= DOT_SCALE;
  for (let k = 0; k < e.length; k += 2) {
    const a = e[k];
    const b = e[k + 1];
    const ax = scene.xs[a] + NODE_W;
    const ay = scene.ys[a] + NODE_H / 2;
    const bx = scene.xs[b];
    const by = scene.ys[b] + NODE_H / 2;
    if (Math.max(ax, bx) < x0 || Math.min(ax, bx) > x1 || Math.max(ay, by) < y0 || Math.min(ay, by) > y1) continue;
    ctx.moveTo(sx(ax), sy(ay));
    if (curved) {
      const mid = (sx(ax) + sx(bx)) / 2;
      ctx.bezierCurveTo(mid, sy(ay), mid, sy(by), sx(bx), sy(by));
    } else ctx.lineTo(sx(bx), sy(by));
  }
  ctx.strokeStyle = palette.edge;
  ctx.lineWidth = curved ? Math.max(0.6, Math.min(1.4, 1.4 * s)) : 0.5;
  ctx.stroke();

  const dimmed = (i: number) => state.searching && !state.match(scene.nodes[i]);
  const byColour = new Map<string, number[]>();
  const add = (colour: string, i: number) => (byColour.get(colour) ?? byColour.set(colour, []).get(colour)!).push(i);
  if (s < DOT_SCALE) {
    // Marks: one filled rectangle per node in its status colour (at least 2 px, so none vanish).
    const mw = Math.max(2, NODE_W * s * 0.8);
    const mh = Math.max(2, NODE_H * s);
    for (const i of visible) add(dimmed(i) ? palette.dim : palette[scene.nodes[i].status], i);
    for (const [colour, list] of byColour) {
      ctx.beginPath();
      for (const i of list) ctx.rect(sx(scene.xs[i]), sy(scene.ys[i]), mw, mh);
      ctx.fillStyle = colour;
      ctx.fill();
    }
    // Search hits and the selection stay findable at any zoom: a ring around each.
    ringed(ctx, visible.filter((i) => state.searching && !dimmed(i)), scene, sx, sy, mw, mh, palette.text);
    ringed(ctx, visible.filter((i) => state.selected.has(scene.nodes[i].id)), scene, sx, sy, mw, mh, palette.sel);
    return visible.length;
  }
  // Boxes: panel fill, border, a status bar on the left; names past TEXT_SCALE.
  const bw = NODE_W * s;
  const bh = NODE_H * s;
  ctx.beginPath();
  for (const i of visible) ctx.rect(sx(scene.xs[i]), sy(scene.ys[i]), bw, bh);
  ctx.fillStyle = palette.panel;
  ctx.fill();
  ctx.strokeStyle = palette.border;
  ctx.lineWidth = 1;
  ctx.stroke();
  const bar = Math.max(2, 4 * s);
  for (const i of visible) add(dimmed(i) ? palette.dim : palette[scene.nodes[i].status], i);
  for (const [colour, list] of byColour) {
    ctx.beginPath();
    for (const i of list) ctx.rect(sx(scene.xs[i]), sy(scene.ys[i]), bar, bh);
    ctx.fillStyle = colour;
    ctx.fill();
  }
  const chosen = visible.filter((i) => state.selected.has(scene.nodes[i].id));
  if (chosen.length) {
    ctx.beginPath();
    for (const i of chosen) ctx.rect(sx(scene.xs[i]) - 1.5, sy(scene.ys[i]) - 1.5, bw + 3, bh + 3);
    ctx.strokeStyle = palette.sel;
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  if (s >= NAME_SCALE) drawNames(ctx, scene, visible, s, sx, sy, state, dimmed);
  return visible.length;
}

function ringed(ctx: CanvasRenderingContext2D, list: number[], scene: Scene, sx: (x: number) => number, sy: (y: number) => number, mw: number, mh: number, colour: string) {
  if (!list.length) return;
  ctx.beginPath();
  for (const i of list) ctx.rect(sx(scene.xs[i]) - 3, sy(scene.ys[i]) - 3, mw + 6, mh + 6);
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.stroke();
}

function drawNames(
  ctx: CanvasRenderingContext2D,
  scene: Scene,
  visible: number[],
  s: number,
  sx: (x: number) => number,
  sy: (y: number) => number,
  state: DrawState,
  dimmed: (i: number) => boolean,
) {
  const font = getComputedStyle(document.documentElement).getPropertyValue("--font").trim() || "sans-serif";
  const room = (NODE_W - 16) * s;
  ctx.textBaseline = "middle";
  // Readable boxes: name and group · kinds; smaller ones: the name alone, in a 9-10 px font.
  const lines: [string, number, number, string][] =
    s >= TEXT_SCALE
      ? [
          [`600 ${12 * s}px ${font}`, 14, 0, state.palette.text],
          [`${11 * s}px ${font}`, 29, 1, state.palette.muted],
        ]
      : [[`${Math.min(NODE_H * s - 2, 10)}px ${font}`, NODE_H / 2, 0, state.palette.text]];
  for (const [style, dy, which, colour] of lines) {
    ctx.font = style;
    ctx.fillStyle = colour;
    const perChar = ctx.measureText("abcdefghijklmnopqrstuvwxyz_0123456789").width / 37;
    const fits = Math.max(1, Math.floor(room / perChar));
    for (const i of visible) {
      const n = scene.nodes[i];
      const text = which === 0 ? n.label : (n.sub ?? n.group ?? "");
      ctx.globalAlpha = dimmed(i) ? 0.4 : 1;
      ctx.fillText(text.length > fits ? text.slice(0, fits - 1) + "…" : text, sx(scene.xs[i]) + 10 * s, sy(scene.ys[i]) + dy * s);
    }
  }
  ctx.globalAlpha = 1;
}
