import { Link } from "react-router-dom";
import { RUN_SUMMARY, assetUrl, keyString, useGql, type RunSummary } from "../api";
import { failingChecks, useCatalog } from "../catalog";
import { RunsTable } from "./RunsTable";
import { ErrorView, Loading, StatusPill, formatAgo } from "../components/Status";

interface OverviewData {
  runsOrError: { results?: RunSummary[]; count?: number };
  workspaceOrError: {
    locationEntries?: { name: string; loadStatus: string; loadError: { message: string } | null }[];
  };
  instance: {
    daemonHealth: {
      __typename: string;
      message?: string;
      allDaemonStatuses?: { daemonType: string; healthy: boolean | null; lastHeartbeatTime: number | null }[];
    };
  };
}

const OVERVIEW = `query Overview {
  runsOrError(limit: 12) { ... on Runs { count results { ${RUN_SUMMARY} } } }
  workspaceOrError { ... on Workspace { locationEntries { name loadStatus loadError { message } } } }
  instance { daemonHealth { __typename
    ... on DaemonHealth { allDaemonStatuses { daemonType healthy lastHeartbeatTime } }
    ... on Error { message } } }
}`;

export default function Overview() {
  const { data, error } = useGql<OverviewData>(["overview"], OVERVIEW, undefined, { refetchInterval: 3000 });
  const catalog = useCatalog(null, 10000);
  const assets = catalog.data?.assetNodes.nodes ?? [];
  const failed = assets.filter((a) => a.latestMaterializationFailed);
  const checks = assets.flatMap((a) => failingChecks(a).map((c) => ({ asset: a, check: c })));
  const materialized = assets.filter((a) => a.latestMaterialization).length;
  const runs = data?.runsOrError.results ?? [];
  const locations = data?.workspaceOrError.locationEntries ?? [];
  const daemon = data?.instance.daemonHealth;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <div className="sub">What ran, what failed, and whether everything is up.</div>
        </div>
      </div>
      {error && <ErrorView error={error} />}
      <div className="grid3">
        <div className="panel">
          <h3>Assets</h3>
          <div className="stat">{catalog.data ? assets.length.toLocaleString() : "…"}</div>
          <div className="muted">{materialized.toLocaleString()} materialized</div>
        </div>
        <div className="panel">
          <h3>Failing</h3>
          <div className="stat" style={{ color: failed.length + checks.length ? "var(--fail)" : undefined }}>
            {failed.length + checks.length}
          </div>
          <div className="muted">
            {failed.length} assets, {checks.length} checks
          </div>
        </div>
        <div className="panel">
          <h3>Runs</h3>
          <div className="stat">{data?.runsOrError.count ?? "…"}</div>
          <div className="muted">
            {runs.filter((r) => r.status === "STARTED" || r.status === "STARTING").length} in progress
          </div>
        </div>
      </div>
      <div className="grid2">
        <div className="panel flush">
          <div className="row" style={{ padding: "10px 12px 6px" }}>
            <h2 style={{ margin: 0 }}>Recent runs</h2>
            <span className="spacer" />
            <Link to="/runs">All runs →</Link>
          </div>
          {data ? <RunsTable runs={runs} compact /> : <Loading />}
        </div>
        <div style={{ display: "flex", flexDirection: "column", gap: 14 }}>
          <div className="panel">
            <h2>Failing assets and checks</h2>
            {failed.length === 0 && checks.length === 0 && <div className="muted">Nothing is failing.</div>}
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {failed.slice(0, 20).map((a) => (
                <li key={keyString(a.assetKey)}>
                  <Link to={assetUrl(a.assetKey)}>{keyString(a.assetKey)}</Link>{" "}
                  <StatusPill status="FAILED" label="materialization failed" />
                </li>
              ))}
              {checks.slice(0, 20).map(({ asset, check }) => (
                <li key={keyString(asset.assetKey) + check}>
                  <Link to={assetUrl(asset.assetKey)}>{keyString(asset.assetKey)}</Link> · {check}{" "}
                  <StatusPill status="FAILED" label="check failed" />
                </li>
              ))}
            </ul>
          </div>
          <div className="panel">
            <h2>Code locations</h2>
            <table className="t">
              <tbody>
                {locations.map((l) => (
                  <tr key={l.name}>
                    <td>
                      <Link to="/deployment">{l.name}</Link>
                    </td>
                    <td>
                      <StatusPill status={l.loadError ? "ERROR" : l.loadStatus} />
                    </td>
                    <td className="muted ellipsis" style={{ maxWidth: 260 }}>
                      {l.loadError?.message ?? ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="panel">
            <h2>Daemons</h2>
            {daemon?.__typename === "DaemonHealth" ? (
              <table className="t">
                <tbody>
                  {daemon.allDaemonStatuses?.map((d) => (
                    <tr key={d.daemonType}>
                      <td>{d.daemonType}</td>
                      <td>
                        <StatusPill status={d.healthy ? "SUCCESS" : d.healthy === false ? "FAILURE" : null} label={d.healthy ? "healthy" : d.healthy === false ? "unhealthy" : "unknown"} />
                      </td>
                      <td className="muted">{formatAgo(d.lastHeartbeatTime)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : daemon ? (
              <div className="muted">Daemon health is not available in this build.</div>
            ) : (
              <Loading />
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
