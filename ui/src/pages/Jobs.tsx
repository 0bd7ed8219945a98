import { Link } from "react-router-dom";
import { useGql } from "../api";
import { ErrorView, Loading, StatusPill, formatAgo } from "../components/Status";

interface JobsData {
  repositoriesOrError: {
    nodes?: {
      locationName: string;
      jobs: { name: string; description: string | null; isAssetJob: boolean; ops: { handle: string }[]; runs: { runId: string; status: string; creationTime: number }[] }[];
    }[];
  };
}

const JOBS = `{ repositoriesOrError { ... on RepositoryConnection { nodes { locationName
  jobs { name description isAssetJob ops { handle } runs(limit: 1) { runId status creationTime } } } } } }`;

export default function Jobs() {
  const { data, error, isLoading } = useGql<JobsData>(["jobs"], JOBS, undefined, { refetchInterval: 5000 });
  const rows = (data?.repositoriesOrError.nodes ?? []).flatMap((r) => r.jobs.filter((j) => !j.name.startsWith("__")).map((j) => ({ ...j, location: r.locationName })));
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Jobs</h1>
          <div className="sub">Op graphs and the launchpad. Assets can also be materialized from the catalog and the lineage graph.</div>
        </div>
      </div>
      {error && <ErrorView error={error} />}
      {isLoading && <Loading />}
      <div className="panel flush">
        <table className="t">
          <thead><tr><th>Job</th><th>Location</th><th>Kind</th><th>Ops</th><th>Last run</th><th></th></tr></thead>
          <tbody>
            {rows.map((j) => {
              const base = `/jobs/${encodeURIComponent(j.location)}/${encodeURIComponent(j.name)}`;
              const last = j.runs[0];
              return (
                <tr key={j.location + j.name}>
                  <td><Link to={base}><strong>{j.name}</strong></Link><div className="muted small">{j.description}</div></td>
                  <td>{j.location}</td>
                  <td>{j.isAssetJob ? "asset job" : "op job"}</td>
                  <td>{j.ops.length}</td>
                  <td>{last ? <><StatusPill status={last.status} /> <Link to={`/runs/${last.runId}`} className="muted">{formatAgo(last.creationTime)}</Link></> : <span className="muted">never</span>}</td>
                  <td><Link to={`${base}/launchpad`}>Launchpad →</Link></td>
                </tr>
              );
            })}
            {data && rows.length === 0 && <tr><td colSpan={6} className="muted">No jobs in the loaded locations.</td></tr>}
          </tbody>
        </table>
      </div>
    </div>
  );
}
