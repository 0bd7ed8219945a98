import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** A line of one numeric metadata value over time (x: epoch seconds). */
export function MetadataPlot({ label, points }: { label: string; points: [number, number][] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const sorted = [...points].sort((a, b) => a[0] - b[0]);
    const style = getComputedStyle(document.documentElement);
    const accent = style.getPropertyValue("--accent").trim() || "#2563eb";
    const muted = style.getPropertyValue("--muted").trim() || "#667085";
    const grid = style.getPropertyValue("--border").trim() || "#e1e4ea";
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: 160,
        legend: { show: false },
        series: [{}, { label, stroke: accent, width: 2, points: { size: 5, fill: accent } }],
        axes: [axis, axis],
      },
      [sorted.map((p) => p[0]), sorted.map((p) => p[1])],
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: 160 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [label, points]);
  return <div ref={ref} data-testid="metadata-plot" />;
}
