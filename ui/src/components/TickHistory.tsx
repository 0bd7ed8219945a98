// A schedule's or sensor's ticks, newest first: when, how it ended, the runs it requested, and why it
// skipped or what failed (the user's error with its traceback, folded).
import { Link } from "react-router-dom";
import { formatTime, StatusPill } from "./Status";

export interface Tick {
  id: string;
  status: string;
  timestamp: number;
  endTimestamp: number | null;
  runIds: string[];
  skippedRunKeys: string[];
  skipReason: string | null;
  cursor: string | null;
  error: { message: string; stack: string[] } | null;
}

export const TICK_FIELDS = `id status timestamp endTimestamp runIds skippedRunKeys skipReason cursor error { message stack }`;

/** The one-line summary of a tick, for the strip of recent ticks and the history table. */
export function tickSummary(t: Tick): string {
  if (t.status === "FAILURE") return t.error?.message.split("\n")[0] ?? "failed";
  if (t.status === "SKIPPED") {
    if (t.skipReason) return t.skipReason;
    if (t.skippedRunKeys.length) return `run key${t.skippedRunKeys.length === 1 ? "" : "s"} ${t.skippedRunKeys.join(", ")} requested already`;
    return "nothing requested";
  }
  if (t.status === "STARTED") return "evaluating…";
  return `${t.runIds.length} run${t.runIds.length === 1 ? "" : "s"} requested`;
}

/** The last ticks as small pills (hover for the details). */
export function TickStrip({ ticks }: { ticks: Tick[] }) {
  if (ticks.length === 0) return <span className="muted">no ticks yet</span>;
  return (
    <div className="row" style={{ gap: 3 }}>
      {ticks.slice(0, 8).map((t) => (
        <span key={t.id} title={`${formatTime(t.timestamp)} · ${t.status} · ${tickSummary(t)}`}>
          <StatusPill status={t.status} label={t.status === "SUCCESS" ? `${t.runIds.length} run${t.runIds.length === 1 ? "" : "s"}` : t.status.toLowerCase()} />
        </span>
      ))}
    </div>
  );
}

export function TickHistory({ ticks }: { ticks: Tick[] }) {
  return (
    <table className="t" data-testid="tick-history">
      <thead>
        <tr>
          <th style={{ width: 170 }}>Tick</th>
          <th style={{ width: 100 }}>Status</th>
          <th style={{ width: 260 }}>Runs</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {ticks.map((t) => (
          <tr key={t.id} data-tick-status={t.status}>
            <td>{formatTime(t.timestamp)}</td>
            <td><StatusPill status={t.status} /></td>
            <td className="mono small">
              {t.runIds.length === 0 && <span className="muted">—</span>}
              {t.runIds.map((id) => <div key={id}><Link to={`/runs/${id}`}>{id.slice(0, 8)}</Link></div>)}
            </td>
            <td>
              {t.status === "FAILURE" && t.error ? (
                <details>
                  <summary className="field-error" style={{ cursor: "pointer" }}>{t.error.message.split("\n")[0]}</summary>
                  <pre className="small" style={{ whiteSpace: "pre-wrap", margin: "6px 0 0", maxHeight: 280, overflow: "auto" }}>{t.error.stack.join("")}</pre>
                </details>
              ) : (
                <span className={t.status === "SKIPPED" ? "" : "muted"}>{tickSummary(t)}</span>
              )}
              {t.cursor && <div className="muted small mono">cursor: {t.cursor}</div>}
            </td>
          </tr>
        ))}
        {ticks.length === 0 && (
          <tr><td colSpan={4} className="muted">No ticks yet: the daemon evaluates a running schedule or sensor when it is due.</td></tr>
        )}
      </tbody>
    </table>
  );
}
