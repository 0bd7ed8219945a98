import { useState } from "react";
import { queryClient, useGql, useGqlMutation } from "../api";
import { ErrorView, Loading, StatusPill, formatAgo } from "../components/Status";

interface LocationEntry {
  name: string;
  loadStatus: string;
  versionKey: string | null;
  loadError: { message: string; traceback: string | null; source: { file: string; line: number } | null } | null;
  locationOrLoadError: { __typename: string; isReloadSupported?: boolean; repositories?: { jobs: { name: string }[]; assetGroups: string[]; schedules: { name: string }[]; sensors: { name: string }[] }[] } | null;
}
interface DeploymentData {
  version: string;
  workspaceOrError: { locationEntries?: LocationEntry[] };
  instance: {
    rootDirectory: string;
    storage: { backend: string; location: string; schemaRevision: string | null; runs: number; events: number };
    runLauncher: { name: string };
    runQueuingSupported: boolean;
    runQueueConfig: { maxConcurrentRuns: number; tagConcurrencyLimitsYaml: string | null } | null;
    daemonHealth: { __typename: string; message?: string; allDaemonStatuses?: { daemonType: string; healthy: boolean | null; required: boolean; lastHeartbeatTime: number | null; lastHeartbeatErrors: { message: string }[] }[] };
  };
}

const DEPLOYMENT = `{
  version
  workspaceOrError { ... on Workspace { locationEntries { name loadStatus versionKey
    loadError { message traceback source { file line } }
    locationOrLoadError { __typename ... on RepositoryLocation { isReloadSupported repositories { jobs { name } assetGroups schedules { name } sensors { name } } } } } } }
  instance { rootDirectory storage { backend location schemaRevision runs events } runLauncher { name }
    runQueuingSupported runQueueConfig { maxConcurrentRuns tagConcurrencyLimitsYaml }
    daemonHealth { __typename ... on Error { message } ... on DaemonHealth { allDaemonStatuses { daemonType healthy required lastHeartbeatTime lastHeartbeatErrors { message } } } } }
}`;
const RELOAD = `mutation Reload($name: String!) { reloadRepositoryLocation(repositoryLocationName: $name) {
  __typename ... on WorkspaceLocationEntry { name loadError { message } } ... on Error { message } ... on PythonError { message } } }`;

function Location({ entry }: { entry: LocationEntry }) {
  const reload = useGqlMutation<{ reloadRepositoryLocation: { __typename: string; message?: string } }, { name: string }>(RELOAD);
  const [message, setMessage] = useState<string | null>(null);
  const repo = entry.locationOrLoadError?.repositories?.[0];
  const onReload = async () => {
    setMessage(null);
    const r = (await reload.mutateAsync({ name: entry.name })).reloadRepositoryLocation;
    if (r.__typename !== "WorkspaceLocationEntry") setMessage(r.message ?? r.__typename);
    await queryClient.invalidateQueries();
  };
  return (
    <div className="panel" data-testid="location">
      <div className="row">
        <h2 style={{ margin: 0 }}>{entry.name}</h2>
        <StatusPill status={entry.loadError ? "ERROR" : entry.loadStatus} label={entry.loadError ? "load error" : entry.loadStatus.toLowerCase()} />
        <span className="spacer" />
        <button onClick={onReload} disabled={reload.isPending}>{reload.isPending ? "Reloading…" : "Reload"}</button>
      </div>
      {message && <ErrorView error={message} />}
      {repo && (
        <div className="muted" style={{ marginTop: 6 }}>
          {repo.jobs.filter((j) => !j.name.startsWith("__")).length} jobs · {repo.assetGroups.length} asset groups ({repo.assetGroups.join(", ")}) · {repo.schedules.length} schedules · {repo.sensors.length} sensors
          {entry.versionKey && <> · version <span className="mono">{entry.versionKey.slice(0, 12)}</span></>}
        </div>
      )}
      {entry.loadError && (
        <div className="error-box" style={{ marginTop: 8 }} data-testid="load-error">
          <strong>{entry.loadError.source ? `${entry.loadError.source.file}:${entry.loadError.source.line}` : "Load error"}</strong>
          <div style={{ whiteSpace: "pre-wrap" }}>{entry.loadError.message}</div>
          {entry.loadError.traceback && <pre>{entry.loadError.traceback}</pre>}
        </div>
      )}
    </div>
  );
}

export default function Deployment() {
  const { data, error, isLoading } = useGql<DeploymentData>(["deployment"], DEPLOYMENT, undefined, { refetchInterval: 5000 });
  const inst = data?.instance;
  const daemon = inst?.daemonHealth;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Deployment</h1>
          <div className="sub">Code locations, daemons and the instance{data ? ` · Headwater ${data.version}` : ""}.</div>
        </div>
      </div>
      {error && <ErrorView error={error} />}
      {isLoading && <Loading />}
      <h3>Code locations</h3>
      {(data?.workspaceOrError.locationEntries ?? []).map((e) => <Location key={e.name} entry={e} />)}
      <div className="grid2">
        <div className="panel">
          <h2>Daemons</h2>
          {daemon?.__typename === "DaemonHealth" ? (
            <table className="t">
              <thead><tr><th>Daemon</th><th>Health</th><th>Last heartbeat</th></tr></thead>
              <tbody>
                {daemon.allDaemonStatuses?.map((d) => (
                  <tr key={d.daemonType}>
                    <td>{d.daemonType}{!d.required && <span className="muted"> (optional)</span>}</td>
                    <td><StatusPill status={d.healthy ? "SUCCESS" : d.healthy === false ? "FAILURE" : null} label={d.healthy ? "healthy" : d.healthy === false ? "unhealthy" : "unknown"} /></td>
                    <td className="muted">{formatAgo(d.lastHeartbeatTime)}{d.lastHeartbeatErrors[0] && <div className="field-error">{d.lastHeartbeatErrors[0].message}</div>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : daemon ? (
            <div className="notice" data-testid="not-available"><strong>Daemon health: not available in this build.</strong><div>{daemon.message}</div></div>
          ) : null}
        </div>
        <div className="panel">
          <h2>Instance</h2>
          {inst && (
            <dl className="kv">
              <dt>Home</dt><dd className="mono">{inst.rootDirectory}</dd>
              <dt>Storage</dt><dd>{inst.storage.backend} · <span className="mono">{inst.storage.location}</span></dd>
              <dt>Schema revision</dt><dd className="mono">{inst.storage.schemaRevision ?? "—"}</dd>
              <dt>Stored</dt><dd>{inst.storage.runs.toLocaleString()} runs, {inst.storage.events.toLocaleString()} events</dd>
              <dt>Run launcher</dt><dd>{inst.runLauncher.name}</dd>
              <dt>Run queue</dt><dd>{inst.runQueuingSupported ? `queued, at most ${inst.runQueueConfig?.maxConcurrentRuns ?? "?"} at once` : "runs start at once (no queue)"}</dd>
              {inst.runQueueConfig?.tagConcurrencyLimitsYaml && <><dt>Tag limits</dt><dd><pre>{inst.runQueueConfig.tagConcurrencyLimitsYaml}</pre></dd></>}
            </dl>
          )}
        </div>
      </div>
    </div>
  );
}
