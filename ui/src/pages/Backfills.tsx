import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { keyString, queryClient, useGql, useGqlMutation } from "../api";
import { BackfillProgressBar } from "../components/BackfillProgress";
import { ErrorView, Loading, NotAvailableNotice, StatusPill, formatAgo, formatTime } from "../components/Status";

interface Backfill {
  id: string;
  status: string;
  timestamp: number;
  endTimestamp: number | null;
  numPartitions: number | null;
  numRuns: number;
  partitions: string;
  isPaused: boolean;
  title: string | null;
  assetSelection: { path: string[] }[] | null;
  assetBackfillStatuses: { numTargeted: number; numMaterialized: number; numFailed: number; numInProgress: number }[];
  error: { message: string } | null;
}
interface PartitionedAsset {
  assetKey: { path: string[] };
}

const BACKFILLS = `{ partitionBackfillsOrError(limit: 50) {
  __typename
  ... on PythonError { message }
  ... on PartitionBackfills { results { id status timestamp endTimestamp numPartitions numRuns partitions isPaused title
    assetSelection { path } assetBackfillStatuses { numTargeted numMaterialized numFailed numInProgress } error { message } } }
} }`;
const PARTITIONED = `{ assetNodes(limit: 10000) { ... on AssetNodeConnection { nodes { assetKey { path } isPartitioned isMaterializable } } } }`;
const KEYS = `query($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) { ... on AssetNode { partitionKeys(limit: 10000) { ... on PartitionKeys { keys totalCount } } } } }`;
const LAUNCH = `mutation($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) {
  __typename ... on LaunchBackfillSuccess { backfillId } ... on Error { message } ... on PythonError { message } } }`;

type Mode = "range" | "all" | "failed";

/** Pick partitioned assets and a range of their partitions; the daemon runs the backfill. */
function NewBackfill() {
  const navigate = useNavigate();
  const nodes = useGql<{ assetNodes: { nodes?: (PartitionedAsset & { isPartitioned: boolean; isMaterializable: boolean })[] } }>(["backfill-assets"], PARTITIONED);
  const assets = useMemo(() => (nodes.data?.assetNodes.nodes ?? []).filter((n) => n.isPartitioned && n.isMaterializable), [nodes.data]);
  const [asset, setAsset] = useState("");
  const [mode, setMode] = useState<Mode>("range");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [title, setTitle] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const launch = useGqlMutation<{ launchPartitionBackfill: { __typename: string; backfillId?: string; message?: string } }, { p: Record<string, unknown> }>(LAUNCH);
  const chosen = assets.find((a) => keyString(a.assetKey) === asset) ?? assets[0];
  const partitionKeys = useGql<{ assetNodeOrError: { partitionKeys?: { keys?: string[]; totalCount?: number } | null } }>(
    ["backfill-keys", keyString(chosen?.assetKey ?? { path: [] })], KEYS, { key: { path: chosen?.assetKey.path ?? [] } }, { enabled: !!chosen },
  );
  const keys = partitionKeys.data?.assetNodeOrError.partitionKeys?.keys ?? [];
  const total = partitionKeys.data?.assetNodeOrError.partitionKeys?.totalCount ?? keys.length;
  const start = keys.includes(from) ? from : keys[0];
  const end = keys.includes(to) ? to : keys[keys.length - 1];
  const range = keys.slice(keys.indexOf(start ?? ""), keys.indexOf(end ?? "") + 1);
  const onLaunch = async () => {
    if (!chosen) return;
    setProblem(null);
    const p: Record<string, unknown> = { assetSelection: [{ path: chosen.assetKey.path }], title: title || null };
    if (mode === "range") p.partitionNames = range;
    else if (mode === "all") p.allPartitions = true;
    else p.fromFailure = true;
    try {
      const r = (await launch.mutateAsync({ p })).launchPartitionBackfill;
      if (r.backfillId) {
        await queryClient.invalidateQueries({ queryKey: ["backfills"] });
        navigate(`/backfills/${r.backfillId}`);
      } else setProblem(r.message ?? r.__typename);
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  if (nodes.isLoading) return <Loading what="partitioned assets" />;
  if (assets.length === 0) return <div className="muted">No partitioned assets in the loaded locations: a backfill runs many partitions of them.</div>;
  return (
    <div data-testid="new-backfill" style={{ display: "flex", flexDirection: "column", gap: 10 }}>
      <div className="row">
        <label className="row">Asset
          <select aria-label="Backfill asset" value={keyString(chosen?.assetKey ?? { path: [] })} onChange={(e) => setAsset(e.target.value)}>
            {assets.map((a) => <option key={keyString(a.assetKey)} value={keyString(a.assetKey)}>{keyString(a.assetKey)}</option>)}
          </select>
        </label>
        <label className="row">Partitions
          <select aria-label="Which partitions" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
            <option value="range">a range</option>
            <option value="all">all ({total})</option>
            <option value="failed">failed and missing</option>
          </select>
        </label>
        {mode === "range" && (
          <>
            <label className="row">from
              <select aria-label="From partition" value={start ?? ""} onChange={(e) => setFrom(e.target.value)}>
                {keys.map((k) => <option key={k}>{k}</option>)}
              </select>
            </label>
            <label className="row">to
              <select aria-label="To partition" value={end ?? ""} onChange={(e) => setTo(e.target.value)}>
                {keys.map((k) => <option key={k}>{k}</option>)}
              </select>
            </label>
          </>
        )}
        <input aria-label="Backfill title" placeholder="Title (optional)" value={title} onChange={(e) => setTitle(e.target.value)} style={{ minWidth: 200 }} />
        <span className="spacer" />
        <button className="primary" data-testid="launch-backfill" disabled={launch.isPending || !partitionKeys.data || (mode === "range" && range.length === 0)} onClick={onLaunch}>
          {launch.isPending ? "Launching…" : mode === "range" ? `Backfill ${range.length} partition${range.length === 1 ? "" : "s"}` : "Launch backfill"}
        </button>
      </div>
      {mode === "range" && partitionKeys.data && range.length === 0 && <div className="field-error">“from” comes after “to”: pick a range in partition order.</div>}
      {total > keys.length && <div className="muted small">The first {keys.length.toLocaleString()} of {total.toLocaleString()} partitions are listed; launch the rest with “all”, or from the command line (<span className="mono">headwater backfill launch --partitions START...END</span>).</div>}
      {problem && <ErrorView error={problem} title="Not launched" />}
    </div>
  );
}

export default function Backfills() {
  const { data, error, isLoading } = useGql<{ partitionBackfillsOrError: { __typename: string; message?: string; results?: Backfill[] } }>(["backfills"], BACKFILLS, undefined, { refetchInterval: 3000 });
  const result = data?.partitionBackfillsOrError;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Backfills</h1>
          <div className="sub">Many partitions of assets, run by the daemon (it must be running: <span className="mono">headwater dev</span> starts one).</div>
        </div>
      </div>
      <div className="panel">
        <h2 style={{ marginTop: 0 }}>New backfill</h2>
        <NewBackfill />
      </div>
      {error && <ErrorView error={error} />}
      {isLoading && <Loading />}
      {result?.__typename === "NotAvailableError" && <NotAvailableNotice feature="Backfills" message={result.message} />}
      {result?.__typename === "PythonError" && <ErrorView error={result.message ?? ""} />}
      {result?.results && (
        <div className="panel flush" style={{ marginTop: 14 }}>
          <table className="t" data-testid="backfills">
            <thead><tr><th>Backfill</th><th>Status</th><th style={{ width: 260 }}>Progress</th><th>Partitions</th><th>Assets</th><th>Created</th></tr></thead>
            <tbody>
              {result.results.map((b) => {
                const sum = (f: "numTargeted" | "numMaterialized" | "numFailed" | "numInProgress") => b.assetBackfillStatuses.reduce((n, s) => n + s[f], 0);
                return (
                  <tr key={b.id} data-backfill={b.id}>
                    <td><Link to={`/backfills/${b.id}`} className="mono">{b.id}</Link>{b.title && <div className="small">{b.title}</div>}</td>
                    <td><StatusPill status={b.status} />{b.isPaused && <div className="muted small">paused</div>}</td>
                    <td><BackfillProgressBar targeted={sum("numTargeted")} done={sum("numMaterialized")} failed={sum("numFailed")} running={sum("numInProgress")} /></td>
                    <td>{b.numPartitions ?? "—"} <span className="muted small">({b.partitions})</span></td>
                    <td>{(b.assetSelection ?? []).map((k) => k.path.join("/")).join(", ")}</td>
                    <td title={formatTime(b.timestamp)}>{formatAgo(b.timestamp)}</td>
                  </tr>
                );
              })}
              {result.results.length === 0 && <tr><td colSpan={6} className="muted">No backfills yet.</td></tr>}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
