import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { assetUrl, keyString, queryClient, useGql, useGqlMutation } from "../api";
import { BackfillProgressBar, PartitionGrid, type RunRequest } from "../components/BackfillProgress";
import { ErrorView, Loading, StatusPill, formatDuration, formatTime } from "../components/Status";

interface AssetStatus {
  assetKey: { path: string[] };
  numTargeted: number;
  numRequested: number;
  numMaterialized: number;
  numFailed: number;
  numInProgress: number;
  numBlocked: number;
}
interface Backfill {
  __typename: string;
  message?: string;
  id: string;
  status: string;
  timestamp: number;
  endTimestamp: number | null;
  numPartitions: number | null;
  numRuns: number;
  partitions: string;
  isPaused: boolean;
  title: string | null;
  description: string | null;
  error: { message: string; stack: string[] } | null;
  assetBackfillStatuses: AssetStatus[];
  runRequests: RunRequest[];
}

const BACKFILL = `query($id: String!) { partitionBackfillOrError(backfillId: $id) {
  __typename
  ... on BackfillNotFoundError { message }
  ... on PythonError { message }
  ... on PartitionBackfill { id status timestamp endTimestamp numPartitions numRuns partitions isPaused title description
    error { message stack }
    assetBackfillStatuses { assetKey { path } numTargeted numRequested numMaterialized numFailed numInProgress numBlocked }
    runRequests { assetKeys { path } partitionKeys runId state } }
} }`;
const ACTIONS = {
  cancel: `mutation($id: String!) { r: cancelPartitionBackfill(backfillId: $id) { __typename ... on Error { message } ... on PythonError { message } } }`,
  pause: `mutation($id: String!) { r: pausePartitionBackfill(backfillId: $id) { __typename ... on Error { message } ... on PythonError { message } } }`,
  resume: `mutation($id: String!) { r: resumePartitionBackfill(backfillId: $id) { __typename ... on Error { message } ... on PythonError { message } } }`,
};
const FINISHED = ["COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"];

function Action({ id, action, label, danger, onError }: { id: string; action: keyof typeof ACTIONS; label: string; danger?: boolean; onError: (m: string | null) => void }) {
  const mutation = useGqlMutation<{ r: { __typename: string; message?: string } }, { id: string }>(ACTIONS[action]);
  const onClick = async () => {
    onError(null);
    try {
      const r = (await mutation.mutateAsync({ id })).r;
      if (r.message) onError(r.message);
    } catch (e) {
      onError((e as Error).message);
    }
    await queryClient.invalidateQueries({ queryKey: ["backfill", id] });
  };
  return <button className={danger ? "danger" : ""} data-testid={`backfill-${action}`} disabled={mutation.isPending} onClick={onClick}>{label}</button>;
}

export default function BackfillPage() {
  const { backfillId = "" } = useParams();
  const navigate = useNavigate();
  const [actionError, setActionError] = useState<string | null>(null);
  const { data, error, isLoading } = useGql<{ partitionBackfillOrError: Backfill }>(["backfill", backfillId], BACKFILL, { id: backfillId }, {
    refetchInterval: (q) => (FINISHED.includes(q.state.data?.partitionBackfillOrError.status ?? "") ? false : 1500),
  });
  const b = data?.partitionBackfillOrError;
  if (error) return <div className="page"><ErrorView error={error} /></div>;
  if (isLoading || !b) return <div className="page"><Loading what="the backfill" /></div>;
  if (b.__typename !== "PartitionBackfill") return <div className="page"><ErrorView error={b.message ?? b.__typename} /></div>;
  const total = (f: keyof Omit<AssetStatus, "assetKey">) => b.assetBackfillStatuses.reduce((n, s) => n + s[f], 0);
  const active = b.status === "REQUESTED";
  const runIds = b.runRequests.filter((r) => r.runId).length;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <div className="muted small"><Link to="/backfills">Backfills</Link> /</div>
          <h1 className="row" data-testid="backfill-title">
            {b.title ?? <span className="mono">{b.id}</span>}
            <span data-testid="backfill-status"><StatusPill status={b.status} /></span>
            {b.isPaused && <span className="pill s-warn" data-testid="backfill-paused">PAUSED</span>}
          </h1>
          <div className="sub">
            {b.numPartitions ?? "—"} partitions ({b.partitions}) · {b.runRequests.length} run{b.runRequests.length === 1 ? "" : "s"} planned, {runIds} submitted · started {formatTime(b.timestamp)}
            {b.endTimestamp ? ` · took ${formatDuration(b.timestamp, b.endTimestamp)}` : ""}
          </div>
          {b.description && <div className="small">{b.description}</div>}
        </div>
        <div className="row">
          {active && !b.isPaused && <Action id={b.id} action="pause" label="Pause" onError={setActionError} />}
          {(b.isPaused || b.status === "FAILED") && <Action id={b.id} action="resume" label="Resume" onError={setActionError} />}
          {(active || b.status === "FAILING") && <Action id={b.id} action="cancel" label="Cancel backfill" danger onError={setActionError} />}
        </div>
      </div>
      {actionError && <ErrorView error={actionError} title="Not changed" />}
      {b.error && <ErrorView error={b.error} title="The backfill stopped" />}
      {b.isPaused && <div className="notice">Paused: the daemon submits none of its remaining runs (those submitted go on) until you resume it.</div>}
      <div className="panel" style={{ marginBottom: 14 }}>
        <BackfillProgressBar targeted={total("numTargeted")} done={total("numMaterialized")} failed={total("numFailed")} running={total("numInProgress")} />
      </div>
      <div className="panel flush" style={{ marginBottom: 14 }}>
        <table className="t" data-testid="backfill-assets">
          <thead><tr><th>Asset</th><th>Targeted</th><th>Requested</th><th>Materialized</th><th>Running</th><th>Failed</th><th>Blocked</th></tr></thead>
          <tbody>
            {b.assetBackfillStatuses.map((s) => (
              <tr key={keyString(s.assetKey)} data-asset={keyString(s.assetKey)}>
                <td><Link to={assetUrl(s.assetKey)}>{keyString(s.assetKey)}</Link></td>
                <td>{s.numTargeted}</td>
                <td>{s.numRequested}</td>
                <td data-testid="num-materialized">{s.numMaterialized}</td>
                <td>{s.numInProgress}</td>
                <td className={s.numFailed ? "field-error" : ""}>{s.numFailed}</td>
                <td>{s.numBlocked}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="panel">
        <h2 style={{ marginTop: 0 }}>Partitions</h2>
        <PartitionGrid requests={b.runRequests} onOpen={(id) => navigate(`/runs/${id}`)} />
      </div>
    </div>
  );
}
