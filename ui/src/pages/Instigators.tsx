import { Link } from "react-router-dom";
import { useGql } from "../api";
import { ErrorView, Loading, NotAvailableNotice, StatusPill, formatTime } from "../components/Status";

interface Tick {
  id: string;
  status: string;
  timestamp: number;
  runIds: string[];
  skipReason: string | null;
  error: { message: string } | null;
}
interface State {
  __typename: string;
  message?: string;
  feature?: string;
  status?: string;
  ticks?: Tick[];
}
interface Instigator {
  name: string;
  locationName: string;
  description: string | null;
  cronSchedule?: string | null;
  executionTimezone?: string | null;
  jobName?: string | null;
  jobNames?: string[];
  minIntervalSeconds?: number | null;
  sensorType?: string;
  state: State;
}

const STATE = `__typename status ticks { id status timestamp runIds skipReason cursor error { message } }`;
const QUERIES = {
  schedules: `{ schedulesOrError { ... on Schedules { results { name locationName description cronSchedule executionTimezone jobName state: scheduleState { ${STATE} } } } } }`,
  sensors: `{ sensorsOrError { ... on Sensors { results { name locationName description jobNames minIntervalSeconds sensorType state: sensorState { ${STATE} } } } } }`,
};

function Ticks({ ticks }: { ticks: Tick[] }) {
  if (ticks.length === 0) return <span className="muted">no ticks yet</span>;
  return (
    <div className="row" style={{ gap: 3 }}>
      {ticks.slice(0, 12).map((t) => (
        <span key={t.id} title={`${formatTime(t.timestamp)} · ${t.status}${t.skipReason ? ` · ${t.skipReason}` : ""}${t.error ? ` · ${t.error.message}` : ""}`}>
          <StatusPill status={t.status} label={t.status === "SUCCESS" ? `${t.runIds.length} run${t.runIds.length === 1 ? "" : "s"}` : t.status.toLowerCase()} />
        </span>
      ))}
    </div>
  );
}

export default function Instigators({ kind }: { kind: "schedules" | "sensors" }) {
  const { data, error, isLoading } = useGql<{ schedulesOrError?: { results?: Instigator[] }; sensorsOrError?: { results?: Instigator[] } }>([kind], QUERIES[kind], undefined, { refetchInterval: 5000 });
  const items = (kind === "schedules" ? data?.schedulesOrError : data?.sensorsOrError)?.results ?? [];
  const unavailable = items.find((i) => i.state.__typename === "NotAvailableError")?.state;
  const title = kind === "schedules" ? "Schedules" : "Sensors";
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <div className="sub">{kind === "schedules" ? "Runs on a cron schedule, launched by the daemon." : "Runs requested when something changes, evaluated by the daemon."}</div>
        </div>
      </div>
      {error && <ErrorView error={error} />}
      {isLoading && <Loading />}
      {unavailable && <NotAvailableNotice feature={`${title} state and ticks`} message={unavailable.message} />}
      <div className="panel flush">
        <table className="t" data-testid="instigators">
          <thead>
            <tr>
              <th>Name</th>
              <th>{kind === "schedules" ? "Schedule" : "Type"}</th>
              <th>Target</th>
              <th>State</th>
              <th>Recent ticks</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.locationName + i.name}>
                <td><strong>{i.name}</strong><div className="muted small">{i.description ?? i.locationName}</div></td>
                <td className="mono">{kind === "schedules" ? `${i.cronSchedule ?? ""}${i.executionTimezone ? ` (${i.executionTimezone})` : ""}` : `${i.sensorType ?? ""}${i.minIntervalSeconds ? ` · every ${i.minIntervalSeconds}s` : ""}`}</td>
                <td>{(i.jobName ? [i.jobName] : (i.jobNames ?? [])).map((j) => <Link key={j} to={`/jobs/${encodeURIComponent(i.locationName)}/${encodeURIComponent(j)}`} style={{ marginRight: 6 }}>{j}</Link>)}</td>
                <td>{i.state.__typename === "InstigationState" ? <StatusPill status={i.state.status} /> : <span className="muted">not available</span>}</td>
                <td>{i.state.ticks ? <Ticks ticks={i.state.ticks} /> : <span className="muted">—</span>}</td>
              </tr>
            ))}
            {data && items.length === 0 && <tr><td colSpan={5} className="muted">No {kind} in the loaded locations.</td></tr>}
          </tbody>
        </table>
      </div>
    </div>
  );
}
