import { useGql } from "../api";
import { ErrorView, Loading, NotAvailableNotice, StatusPill, formatTime } from "../components/Status";

interface Backfill {
  id: string;
  status: string;
  timestamp: number;
  numPartitions: number | null;
  assetSelection: { path: string[] }[] | null;
  error: { message: string } | null;
}

const BACKFILLS = `{ partitionBackfillsOrError(limit: 50) {
  __typename
  ... on PythonError { message }
  ... on PartitionBackfills { results { id status timestamp numPartitions assetSelection { path } error { message } } }
} }`;

export default function Backfills() {
  const { data, error, isLoading } = useGql<{ partitionBackfillsOrError: { __typename: string; message?: string; results?: Backfill[] } }>(["backfills"], BACKFILLS, undefined, { refetchInterval: 3000 });
  const result = data?.partitionBackfillsOrError;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Backfills</h1>
          <div className="sub">Many partitions of assets, run by the daemon.</div>
        </div>
      </div>
      {error && <ErrorView error={error} />}
      {isLoading && <Loading />}
      {result?.__typename === "NotAvailableError" && <NotAvailableNotice feature="Backfills" message={result.message} />}
      {result?.__typename === "PythonError" && <ErrorView error={result.message ?? ""} />}
      {result?.results && (
        <div className="panel flush">
          <table className="t">
            <thead><tr><th>Backfill</th><th>Status</th><th>Created</th><th>Partitions</th><th>Assets</th></tr></thead>
            <tbody>
              {result.results.map((b) => (
                <tr key={b.id}>
                  <td className="mono">{b.id}</td>
                  <td><StatusPill status={b.status} /></td>
                  <td>{formatTime(b.timestamp)}</td>
                  <td>{b.numPartitions ?? "—"}</td>
                  <td>{(b.assetSelection ?? []).map((k) => k.path.join("/")).join(", ")}</td>
                </tr>
              ))}
              {result.results.length === 0 && <tr><td colSpan={5} className="muted">No backfills yet.</td></tr>}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
