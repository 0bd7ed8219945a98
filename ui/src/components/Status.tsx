import type { PythonError, RunStatus } from "../api";

export function statusClass(status: string | null | undefined): string {
  switch (status) {
    case "SUCCESS":
    case "SUCCEEDED":
    case "PASS":
    case "MATERIALIZED":
    case "LOADED":
    case "RUNNING":
    case "COMPLETED":
    case "COMPLETED_SUCCESS":
      return "s-ok";
    case "FAILURE":
    case "FAILED":
    case "FAIL":
    case "ERROR":
    case "COMPLETED_FAILED":
    case "FAILING":
      return "s-fail";
    case "STARTED":
    case "STARTING":
    case "IN_PROGRESS":
    case "MATERIALIZING":
    case "LOADING":
    case "REQUESTED":
      return "s-run";
    case "QUEUED":
    case "CANCELING":
    case "WARN":
    case "SKIPPED":
      return "s-warn";
    default:
      return "s-idle";
  }
}

const LABEL: Partial<Record<RunStatus, string>> = { STARTED: "RUNNING", NOT_STARTED: "NOT STARTED" };

export function StatusPill({ status, label }: { status: string | null | undefined; label?: string }) {
  const text = label ?? LABEL[status as RunStatus] ?? (status ?? "—").replace(/_/g, " ");
  return (
    <span className={`pill ${statusClass(status)}`} data-status={status ?? ""}>
      {text}
    </span>
  );
}

export function isRunFinished(status: RunStatus): boolean {
  return status === "SUCCESS" || status === "FAILURE" || status === "CANCELED";
}

export function formatTime(seconds: number | null | undefined): string {
  if (seconds == null) return "—";
  const d = new Date(seconds * 1000);
  const now = new Date();
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" })
    : d.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function formatAgo(seconds: number | null | undefined, now = Date.now() / 1000): string {
  if (seconds == null) return "—";
  const s = Math.max(0, now - seconds);
  if (s < 60) return `${Math.round(s)}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

export function formatDuration(start: number | null | undefined, end: number | null | undefined): string {
  if (start == null) return "—";
  const s = (end ?? Date.now() / 1000) - start;
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function ErrorView({ error, title }: { error: PythonError | Error | string; title?: string }) {
  const message = typeof error === "string" ? error : error.message;
  const stack = typeof error === "object" && "stack" in error && Array.isArray(error.stack) ? error.stack : null;
  return (
    <div className="error-box" role="alert">
      {title && <strong>{title}: </strong>}
      <span style={{ whiteSpace: "pre-wrap" }}>{message}</span>
      {stack && stack.length > 0 && <pre>{stack.join("")}</pre>}
    </div>
  );
}

export function NotAvailableNotice({ feature, message }: { feature: string; message?: string }) {
  return (
    <div className="notice" data-testid="not-available">
      <strong>{feature}: not available in this build.</strong>
      <div style={{ marginTop: 6 }}>
        {message ??
          "The webserver answers this part of the API with NotAvailableError: it arrives with the daemon and backfill work."}
      </div>
    </div>
  );
}

export function Loading({ what }: { what?: string }) {
  return <div className="loading">Loading{what ? ` ${what}` : ""}…</div>;
}
