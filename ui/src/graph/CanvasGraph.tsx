import { useEffect, useMemo, useRef, useState } from "react";
import type { LayoutResult } from "./layout";
import type { GraphModel, GraphNode, NodeStatus } from "./model";
import { cameraOn, drawScene, fitCamera, hitTest, makeScene, zoomAt, type Camera, type DrawState, type Palette, type Scene } from "./scene";

/** For the browser tests: the drawn graph, its camera, and what drawing it costs. */
export interface GraphProbe {
  drawnAt: number;
  nodes: number;
  /** Full redraws so far (the camera settled, or the data changed) and the last one's cost. */
  renders: number;
  lastRenderMs: number;
  /** When the last full redraw started (performance.now()). */
  lastRenderAt: number;
  camera: () => Camera;
  setCamera: (camera: Camera) => void;
}
declare global {
  interface Window {
    __hwGraph?: GraphProbe;
  }
}

function palette(): Palette {
  const s = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback;
  return {
    ok: v("--ok", "#15803d"),
    fail: v("--fail", "#b91c1c"),
    run: v("--run", "#1d4ed8"),
    idle: v("--idle", "#6b7280"),
    edge: v("--muted", "#667085") + "66",
    text: v("--text", "#111"),
    muted: v("--muted", "#667085"),
    panel: v("--panel", "#fff"),
    border: v("--border", "#ccc"),
    sel: v("--accent", "#2563eb"),
    dim: v("--border", "#ccc"),
  };
}

/** How far past the viewport (a fraction of it, each side) a full redraw reaches, so pans show content. */
const MARGIN = 0.5;
/** A full redraw follows the last camera move by this long. */
const SETTLE_MS = 140;

/**
 * The view: a bitmap of the scene drawn for one camera (with a margin around the viewport), shown by
 * one scaled `drawImage` while the camera moves, and drawn again once the camera settles. A frame
 * during a pan or zoom costs one blit whatever the graph's size; the full redraw is one batched pass
 * over what is in view. Both canvases are CPU-backed (`willReadFrequently`): thousands of small shapes
 * raster faster there than through Chromium's software GL (measured: a moving CSS transform of the
 * drawn canvas, or GPU-backed canvases, gave slower frames there; benchmarks/RESULTS.md).
 */
class View {
  camera: Camera;
  private w = 1;
  private h = 1;
  private dpr = 1;
  /** The camera the cache was drawn with (the world point at its top-left corner). */
  private drawn: Camera | null = null;
  private readonly cache = document.createElement("canvas");
  private frame = 0;
  private settle = 0;
  renders = 0;
  lastRenderAt = 0;
  lastRenderMs = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    public scene: Scene,
    public state: DrawState,
  ) {
    this.camera = { x: 0, y: 0, scale: 1 };
  }

  size(): [number, number] {
    return [this.w, this.h];
  }

  resize(w: number, h: number) {
    this.w = Math.max(1, w);
    this.h = Math.max(1, h);
    this.dpr = window.devicePixelRatio || 1;
    const cw = this.w * (1 + 2 * MARGIN);
    const ch = this.h * (1 + 2 * MARGIN);
    this.cache.width = Math.round(cw * this.dpr);
    this.cache.height = Math.round(ch * this.dpr);
    this.canvas.width = Math.round(this.w * this.dpr);
    this.canvas.height = Math.round(this.h * this.dpr);
    this.render();
  }

  minScale(): number {
    return fitCamera(this.scene, this.w, this.h).scale / 2;
  }

  /** Move the camera: the cached bitmap follows at the next frame; a full redraw once it settles. */
  move(camera: Camera) {
    this.camera = camera;
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.present();
      });
    }
    clearTimeout(this.settle);
    this.settle = window.setTimeout(() => this.render(), SETTLE_MS);
  }

  /** Draw the scene for the current camera (and the margin around it). */
  render() {
    clearTimeout(this.settle);
    const t0 = performance.now();
    const ctx = this.cache.getContext("2d", { willReadFrequently: true });
    if (!ctx) return;
    const cw = this.w * (1 + 2 * MARGIN);
    const ch = this.h * (1 + 2 * MARGIN);
    const { scale } = this.camera;
    const camera = { scale, x: this.camera.x - (MARGIN * this.w) / scale, y: this.camera.y - (MARGIN * this.h) / scale };
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, cw, ch);
    drawScene(ctx, this.scene, camera, cw, ch, this.state);
    this.drawn = camera;
    this.present();
    this.renders++;
    this.lastRenderAt = t0;
    this.lastRenderMs = performance.now() - t0;
  }

  /** Show the cached bitmap where the current camera sees it (whole pixels while only panning). */
  private present() {
    const from = this.drawn;
    if (!from) return;
    const k = this.camera.scale / from.scale;
    const dx = (from.x - this.camera.x) * this.camera.scale;
    const dy = (from.y - this.camera.y) * this.camera.scale;
    const ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (k === 1) ctx.drawImage(this.cache, Math.round(dx * this.dpr), Math.round(dy * this.dpr));
    else ctx.drawImage(this.cache, dx * this.dpr, dy * this.dpr, this.cache.width * k, this.cache.height * k);
  }

  dispose() {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.settle);
  }
}

const STATUS_NAMES: [NodeStatus, string][] = [
  ["ok", "materialized"],
  ["fail", "failed"],
  ["run", "materializing"],
  ["idle", "never materialized"],
];

/** A 2D canvas: the graph past a few hundred nodes (10,000 pan and zoom at frame rate, also without a GPU). */
export function CanvasGraph({
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
  const wrap = useRef<HTMLDivElement>(null);
  const surface = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useRef<View | null>(null);
  const scene = useMemo(() => makeScene(model, layout), [model, layout]);
  const searching = useMemo(() => model.nodes.some((n) => !match(n)), [model, match]);
  // The colours come from the theme's CSS variables: read again when the theme changes.
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset.theme));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => observer.disconnect();
  }, []);
  const state = useMemo<DrawState>(() => ({ selected, match, searching, palette: palette() }), [selected, match, searching, theme]); // eslint-disable-line react-hooks/exhaustive-deps
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);

  // The view lives as long as the layout: a new layout starts from the whole graph in sight.
  useEffect(() => {
    const c = canvas.current;
    const box = wrap.current;
    const area = surface.current;
    if (!c || !box || !area) return;
    const v = new View(c, scene, state);
    view.current = v;
    v.camera = fitCamera(scene, box.clientWidth, box.clientHeight);
    v.resize(box.clientWidth, box.clientHeight);
    const observer = new ResizeObserver(() => {
      if (box.clientWidth !== v.size()[0] || box.clientHeight !== v.size()[1]) v.resize(box.clientWidth, box.clientHeight);
    });
    observer.observe(box);
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = box.getBoundingClientRect();
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      v.move(zoomAt(v.camera, Math.exp(-delta * 0.0015), e.clientX - r.left, e.clientY - r.top, v.minScale()));
    };
    area.addEventListener("wheel", wheel, { passive: false });
    const raf = requestAnimationFrame(() => {
      window.__hwGraph = {
        drawnAt: performance.now(),
        nodes: scene.nodes.length,
        get renders() {
          return v.renders;
        },
        get lastRenderMs() {
          return v.lastRenderMs;
        },
        get lastRenderAt() {
          return v.lastRenderAt;
        },
        camera: () => ({ ...v.camera }),
        setCamera: (camera) => v.move(camera),
      };
    });
    return () => {
      cancelAnimationFrame(raf);
      observer.disconnect();
      area.removeEventListener("wheel", wheel);
      v.dispose();
      view.current = null;
      delete window.__hwGraph;
    };
  }, [layout]); // eslint-disable-line react-hooks/exhaustive-deps

  // New statuses, selection or search: one full redraw with the same camera.
  useEffect(() => {
    const v = view.current;
    if (!v || (v.scene === scene && v.state === state)) return;
    v.scene = scene;
    v.state = state;
    v.render();
  }, [scene, state]);

  useEffect(() => {
    const v = view.current;
    const i = focus ? scene.index.get(focus) : undefined;
    if (!v || i === undefined) return;
    const [w, h] = v.size();
    const from = v.camera;
    const to = cameraOn(scene, i, w, h, 1);
    const t0 = performance.now();
    let raf = 0;
    const step = () => {
      const t = Math.min(1, (performance.now() - t0) / 400);
      const e = t * (2 - t);
      // Interpolate the scale geometrically and the centre linearly, so the flight looks even.
      const scale = from.scale * Math.pow(to.scale / from.scale, e);
      const cx = from.x + w / 2 / from.scale + (to.x + w / 2 / to.scale - (from.x + w / 2 / from.scale)) * e;
      const cy = from.y + h / 2 / from.scale + (to.y + h / 2 / to.scale - (from.y + h / 2 / from.scale)) * e;
      v.move({ scale, x: cx - w / 2 / scale, y: cy - h / 2 / scale });
      if (t < 1) raf = requestAnimationFrame(step);
    };
    step();
    return () => cancelAnimationFrame(raf);
  }, [focus]); // eslint-disable-line react-hooks/exhaustive-deps

  // Drag pans; a press that does not move is a click (select; Shift, Ctrl or Cmd add).
  const drag = useRef<{ x: number; y: number; camera: Camera; moved: boolean } | null>(null);
  const at = (e: React.PointerEvent | React.MouseEvent) => {
    const r = wrap.current!.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top] as const;
  };
  const counts = useMemo(() => {
    const c: Record<NodeStatus, number> = { ok: 0, fail: 0, run: 0, idle: 0 };
    for (const n of model.nodes) c[n.status] += n.count ?? 1;
    return c;
  }, [model]);
  const hovered = hover ? scene.nodes[hover.i] : null;
  const zoomBy = (factor: number) => {
    const v = view.current;
    if (!v) return;
    const [w, h] = v.size();
    v.move(zoomAt(v.camera, factor, w / 2, h / 2, v.minScale()));
  };
  return (
    <div ref={wrap} data-testid="canvas-graph" style={{ position: "absolute", inset: 0, overflow: "hidden" }}>
      <div
        ref={surface}
        style={{ position: "absolute", inset: 0, cursor: drag.current?.moved ? "grabbing" : hovered ? "pointer" : "grab", touchAction: "none" }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          drag.current = { x: e.clientX, y: e.clientY, camera: view.current!.camera, moved: false };
        }}
        onPointerMove={(e) => {
          const v = view.current;
          const d = drag.current;
          if (!v) return;
          if (d) {
            const dx = e.clientX - d.x;
            const dy = e.clientY - d.y;
            if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
            d.moved = true;
            v.move({ ...d.camera, x: d.camera.x - dx / d.camera.scale, y: d.camera.y - dy / d.camera.scale });
            if (hover) setHover(null);
            return;
          }
          const [x, y] = at(e);
          const i = hitTest(scene, v.camera, x, y);
          if (i !== (hover?.i ?? -1)) setHover(i < 0 ? null : { i, x, y });
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          const v = view.current;
          if (!d || d.moved || !v) return;
          const [x, y] = at(e);
          const i = hitTest(scene, v.camera, x, y);
          if (i >= 0) onSelect(scene.nodes[i].id, e.shiftKey || e.ctrlKey || e.metaKey);
        }}
        onPointerLeave={() => setHover(null)}
        onDoubleClick={(e) => {
          const v = view.current;
          if (!v) return;
          const [x, y] = at(e);
          const i = hitTest(scene, v.camera, x, y);
          if (i >= 0) onOpen(scene.nodes[i].id);
        }}
      >
        <canvas ref={canvas} style={{ width: "100%", height: "100%", display: "block" }} />
      </div>
      {hovered && hover && (
        <div className="graph-tip" style={{ left: hover.x + 14, top: hover.y + 14 }} data-testid="graph-tip">
          <div className="k">{hovered.label}</div>
          <div className="g">{hovered.sub ?? hovered.group ?? ""}</div>
        </div>
      )}
      <div className="graph-legend">
        {STATUS_NAMES.filter(([s]) => counts[s] > 0).map(([s, name]) => (
          <span key={s} className="row" style={{ gap: 5 }}>
            <i className={`dot ${s}`} />
            {counts[s].toLocaleString()} {name}
          </span>
        ))}
        <span className="muted">· scroll to zoom, drag to pan</span>
      </div>
      <div className="graph-zoom">
        <button aria-label="Zoom in" onClick={() => zoomBy(1.5)}>
          +
        </button>
        <button aria-label="Zoom out" onClick={() => zoomBy(1 / 1.5)}>
          −
        </button>
        <button
          aria-label="Fit the graph"
          onClick={() => {
            const v = view.current;
            if (v) v.move(fitCamera(scene, ...v.size()));
          }}
        >
          ⤢
        </button>
      </div>
    </div>
  );
}
