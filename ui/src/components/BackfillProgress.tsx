// A backfill's progress: one bar of materialized / failed / running out of targeted partitions, and the
// per-partition grid (one cell per partition of each asset, coloured by where its run stands).

export function BackfillProgressBar({ targeted, done, failed, running }: { targeted: number; done: number; failed: number; running: number }) {
  const pct = (n: number) => `${targeted ? (100 * n) / targeted : 0}%`;
  const label = `${done} of ${targeted} materialized${failed ? `, ${failed} failed` : ""}${running ? `, ${running} running` : ""}`;
  return (
    <div title={label} aria-label={label} data-testid="backfill-progress">
      <div className="bf-bar">
        <span className="bf-done" style={{ width: pct(done) }} />
        <span className="bf-failed" style={{ width: pct(failed) }} />
        <span className="bf-running" style={{ width: pct(running) }} />
      </div>
      <div className="muted small">{label}</div>
    </div>
  );
}

export interface RunRequest {
  assetKeys: { path: string[] }[];
  partitionKeys: string[];
  runId: string | null;
  state: "WAITING" | "READY" | "RUNNING" | "DONE" | "FAILED" | "BLOCKED";
}

export const STATE_LABEL: Record<RunRequest["state"], string> = {
  WAITING: "waiting for upstream",
  READY: "ready (the daemon submits it next)",
  RUNNING: "running",
  DONE: "materialized",
  FAILED: "failed",
  BLOCKED: "blocked: an upstream partition failed",
};

const LEGEND: [RunRequest["state"], string][] = [
  ["DONE", "materialized"],
  ["RUNNING", "running"],
  ["FAILED", "failed"],
  ["BLOCKED", "blocked (an upstream partition failed)"],
  ["WAITING", "not submitted yet"],
];

/** One row of cells per asset: a cell per partition, with its state; a click opens its run. */
export function PartitionGrid({ requests, onOpen }: { requests: RunRequest[]; onOpen: (runId: string) => void }) {
  const byAsset = new Map<string, { key: string; state: RunRequest["state"]; runId: string | null }[]>();
  for (const r of requests) {
    for (const a of r.assetKeys) {
      const name = a.path.join("/");
      const cells = byAsset.get(name) ?? [];
      for (const key of r.partitionKeys.length ? r.partitionKeys : ["—"]) cells.push({ key, state: r.state, runId: r.runId });
      byAsset.set(name, cells);
    }
  }
  return (
    <div data-testid="partition-grid" style={{ display: "flex", flexDirection: "column", gap: 10 }}>
      {[...byAsset.entries()].map(([asset, cells]) => (
        <div key={asset}>
          <div className="small" style={{ marginBottom: 4 }}><strong>{asset}</strong> <span className="muted">· {cells.length} partition{cells.length === 1 ? "" : "s"}</span></div>
          <div className="bf-grid">
            {cells.map((c) => (
              <button
                key={c.key}
                className={`bf-cell bf-${c.state.toLowerCase()}`}
                data-partition={c.key}
                data-state={c.state}
                title={`${c.key}: ${STATE_LABEL[c.state]}${c.runId ? " (click for its run)" : ""}`}
                disabled={!c.runId}
                onClick={() => c.runId && onOpen(c.runId)}
              >
                {c.key}
              </button>
            ))}
          </div>
        </div>
      ))}
      <div className="row small muted" style={{ gap: 10 }}>
        {LEGEND.map(([s, label]) => (
          <span key={s} className="row" style={{ gap: 4 }}><span className={`bf-cell bf-${s.toLowerCase()}`} style={{ minWidth: 0, padding: "0 6px" }}>&nbsp;</span>{label}</span>
        ))}
      </div>
    </div>
  );
}
