import { Link } from "react-router-dom";
import { keyString, type RunSummary } from "../api";
import { StatusPill, formatDuration, formatTime } from "../components/Status";

export function runTarget(run: RunSummary): string {
  if (run.jobName === "__ASSET_JOB" && run.assetSelection) {
    const keys = run.assetSelection.map(keyString);
    return keys.length <= 3 ? keys.join(", ") : `${keys.slice(0, 2).join(", ")} +${keys.length - 2}`;
  }
  return run.jobName;
}

export function RunsTable({ runs, compact }: { runs: RunSummary[]; compact?: boolean }) {
  if (runs.length === 0) return <div className="muted" style={{ padding: 12 }}>No runs yet.</div>;
  return (
    <table className="t" data-testid="runs-table">
      <thead>
        <tr>
          <th>Run</th>
          <th>Status</th>
          <th>Target</th>
          {!compact && <th>Partition</th>}
          <th>Created</th>
          <th>Duration</th>
          {!compact && <th>Tags</th>}
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.runId}>
            <td className="mono">
              <Link to={`/runs/${run.runId}`}>{run.runId.slice(0, 8)}</Link>
            </td>
            <td>
              <StatusPill status={run.status} />
            </td>
            <td className="ellipsis" style={{ maxWidth: 280 }}>
              {runTarget(run)}
            </td>
            {!compact && <td>{run.partition ?? ""}</td>}
            <td className="muted">{formatTime(run.creationTime)}</td>
            <td className="muted">{formatDuration(run.startTime, run.endTime)}</td>
            {!compact && (
              <td>
                {run.tags
                  .filter((t) => !t.key.startsWith("headwater/") && !t.key.startsWith(".") && !t.key.startsWith("dagster/"))
                  .slice(0, 4)
                  .map((t) => (
                    <span key={t.key} className="tag" style={{ marginRight: 4 }}>
                      {t.key}={t.value}
                    </span>
                  ))}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
