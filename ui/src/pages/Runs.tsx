import { useSearchParams } from "react-router-dom";
import { RUN_SUMMARY, useGql, type RunSummary } from "../api";
import { ErrorView, Loading } from "../components/Status";
import { RunsTable } from "./RunsTable";

const STATUSES = ["QUEUED", "STARTING", "STARTED", "SUCCESS", "FAILURE", "CANCELING", "CANCELED"];
const SINCE: Record<string, number> = { "1h": 3600, "24h": 86400, "7d": 7 * 86400 };

const RUNS = `query Runs($filter: RunsFilter, $cursor: String) {
  runsOrError(filter: $filter, cursor: $cursor, limit: 50) {
    __typename
    ... on Runs { count hasMore cursor results { ${RUN_SUMMARY} } }
    ... on Error { message }
  }
}`;

export function runsFilter(params: URLSearchParams, now = Date.now() / 1000): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const status = params.get("status");
  if (status) filter.statuses = status.split(",");
  const job = params.get("job");
  if (job) filter.jobName = job;
  const tag = params.get("tag");
  if (tag && tag.includes("=")) {
    const [key, ...rest] = tag.split("=");
    filter.tags = [{ key, value: rest.join("=") }];
  }
  const since = params.get("since");
  if (since && SINCE[since]) filter.createdAfter = now - SINCE[since];
  return filter;
}

export default function Runs() {
  const [params, setParams] = useSearchParams();
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("cursor");
    setParams(next, { replace: true });
  };
  const filter = runsFilter(params);
  const cursor = params.get("cursor");
  const { data, error, isLoading } = useGql<{ runsOrError: { __typename: string; message?: string; count?: number; hasMore?: boolean; cursor?: string; results?: RunSummary[] } }>(
    ["runs", JSON.stringify(filter), cursor ?? ""],
    RUNS,
    { filter, cursor },
    { refetchInterval: 2000, placeholderData: (p) => p },
  );
  const result = data?.runsOrError;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <div className="sub">{result?.count != null ? `${result.count.toLocaleString()} runs match` : "…"}</div>
        </div>
      </div>
      <div className="row">
        <select value={params.get("status") ?? ""} onChange={(e) => set("status", e.target.value)} aria-label="Status">
          <option value="">Any status</option>
          {STATUSES.map((s) => <option key={s} value={s}>{s === "STARTED" ? "RUNNING" : s}</option>)}
          <option value="FAILURE,CANCELED">failed or canceled</option>
        </select>
        <input placeholder="Job name" defaultValue={params.get("job") ?? ""} onKeyDown={(e) => e.key === "Enter" && set("job", (e.target as HTMLInputElement).value)} aria-label="Job" />
        <input placeholder="Tag key=value" defaultValue={params.get("tag") ?? ""} onKeyDown={(e) => e.key === "Enter" && set("tag", (e.target as HTMLInputElement).value)} aria-label="Tag" />
        <select value={params.get("since") ?? ""} onChange={(e) => set("since", e.target.value)} aria-label="Created">
          <option value="">Any time</option>
          <option value="1h">Last hour</option>
          <option value="24h">Last 24 hours</option>
          <option value="7d">Last 7 days</option>
        </select>
      </div>
      {error && <ErrorView error={error} />}
      {result?.message && <ErrorView error={result.message} />}
      {isLoading && <Loading what="runs" />}
      <div className="panel flush">{result?.results && <RunsTable runs={result.results} />}</div>
      <div className="row">
        {cursor && <button onClick={() => set("cursor", "")}>← Newest</button>}
        {result?.hasMore && result.cursor && (
          <button onClick={() => { const next = new URLSearchParams(params); next.set("cursor", result.cursor ?? ""); setParams(next); }}>Older →</button>
        )}
      </div>
    </div>
  );
}
