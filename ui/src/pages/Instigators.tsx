import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { queryClient, useGql, useGqlMutation } from "../api";
import { TICK_FIELDS, TickHistory, TickStrip, type Tick } from "../components/TickHistory";
import { ErrorView, Loading, NotAvailableNotice, StatusPill, formatTime } from "../components/Status";

interface State {
  __typename: string;
  id?: string;
  message?: string;
  status?: string;
  statusDeclaredInCode?: boolean;
  repositoryName?: string;
  ticks?: Tick[];
}
interface Instigator {
  name: string;
  locationName: string;
  description: string | null;
  cronSchedule?: string | null;
  executionTimezone?: string | null;
  futureTicks?: number[];
  jobName?: string | null;
  jobNames?: string[];
  minIntervalSeconds?: number | null;
  sensorType?: string;
  state: State;
}
type Kind = "schedules" | "sensors";

const STATE = `__typename id status statusDeclaredInCode repositoryName ticks(limit: 25) { ${TICK_FIELDS} }`;
const QUERIES: Record<Kind, string> = {
  schedules: `{ schedulesOrError { ... on Schedules { results { name locationName description cronSchedule executionTimezone futureTicks(limit: 1) jobName state: scheduleState { ${STATE} } } } } }`,
  sensors: `{ sensorsOrError { ... on Sensors { results { name locationName description jobNames minIntervalSeconds sensorType state: sensorState { ${STATE} } } } } }`,
};
const RESULT = `__typename ... on Error { message } ... on PythonError { message }`;
const MUTATIONS = {
  startSchedule: `mutation($s: ScheduleSelector!) { r: startSchedule(scheduleSelector: $s) { ${RESULT} } }`,
  stopSchedule: `mutation($id: String!) { r: stopRunningSchedule(id: $id) { ${RESULT} } }`,
  startSensor: `mutation($s: SensorSelector!) { r: startSensor(sensorSelector: $s) { ${RESULT} } }`,
  stopSensor: `mutation($id: String!) { r: stopSensor(id: $id) { ${RESULT} } }`,
};
type Answer = { r: { __typename: string; message?: string } };

/** Start or stop one schedule or sensor; the list refetches after. */
function Toggle({ kind, item, onError }: { kind: Kind; item: Instigator; onError: (message: string | null) => void }) {
  const running = item.state.status === "RUNNING";
  const schedule = kind === "schedules";
  const mutation = useGqlMutation<Answer, Record<string, unknown>>(
    running ? (schedule ? MUTATIONS.stopSchedule : MUTATIONS.stopSensor) : schedule ? MUTATIONS.startSchedule : MUTATIONS.startSensor,
  );
  const selector = {
    repositoryLocationName: item.locationName,
    repositoryName: item.state.repositoryName ?? "__repository__",
    [schedule ? "scheduleName" : "sensorName"]: item.name,
  };
  const onClick = async () => {
    onError(null);
    try {
      const answer = (await mutation.mutateAsync(running ? { id: item.state.id } : { s: selector })).r;
      if (answer.message) onError(`${running ? "Stopping" : "Starting"} ${item.name}: ${answer.message}`);
    } catch (e) {
      onError((e as Error).message);
    }
    await queryClient.invalidateQueries({ queryKey: [kind] });
  };
  return (
    <button onClick={onClick} disabled={mutation.isPending || !item.state.id} data-testid={`toggle-${item.name}`} className={running ? "" : "primary"}>
      {mutation.isPending ? "…" : running ? "Stop" : "Start"}
    </button>
  );
}

export default function Instigators({ kind }: { kind: Kind }) {
  const [params, setParams] = useSearchParams();
  const [actionError, setActionError] = useState<string | null>(null);
  const { data, error, isLoading } = useGql<{ schedulesOrError?: { results?: Instigator[] }; sensorsOrError?: { results?: Instigator[] } }>([kind], QUERIES[kind], undefined, { refetchInterval: 3000 });
  const items = (kind === "schedules" ? data?.schedulesOrError : data?.sensorsOrError)?.results ?? [];
  const unavailable = items.find((i) => i.state.__typename === "NotAvailableError")?.state;
  const title = kind === "schedules" ? "Schedules" : "Sensors";
  const selectedName = params.get("name");
  const selected = items.find((i) => `${i.locationName}:${i.name}` === selectedName) ?? null;
  const select = (i: Instigator) => setParams(selectedName === `${i.locationName}:${i.name}` ? {} : { name: `${i.locationName}:${i.name}` }, { replace: true });
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <div className="sub">{kind === "schedules" ? "Runs on a cron schedule, launched by the daemon." : "Runs requested when something changes, evaluated by the daemon."} Click a row for its tick history.</div>
        </div>
      </div>
      {error && <ErrorView error={error} />}
      {isLoading && <Loading />}
      {actionError && <ErrorView error={actionError} title="Not changed" />}
      {unavailable && <NotAvailableNotice feature={`${title} state and ticks`} message={unavailable.message} />}
      <div className="panel flush">
        <table className="t" data-testid="instigators">
          <thead>
            <tr>
              <th>Name</th>
              <th>{kind === "schedules" ? "Schedule" : "Type"}</th>
              <th>Target</th>
              <th>{kind === "schedules" ? "Next tick" : "Last tick"}</th>
              <th>State</th>
              <th>Recent ticks</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => {
              const id = `${i.locationName}:${i.name}`;
              const ticks = i.state.ticks ?? [];
              return (
                <tr key={id} data-instigator={i.name} onClick={() => select(i)} style={{ cursor: "pointer" }} className={id === selectedName ? "selected" : undefined}>
                  <td><strong>{i.name}</strong><div className="muted small">{i.description ?? i.locationName}</div></td>
                  <td className="mono">{kind === "schedules" ? `${i.cronSchedule ?? ""}${i.executionTimezone ? ` (${i.executionTimezone})` : ""}` : `${i.sensorType ?? ""}${i.minIntervalSeconds ? ` · every ${i.minIntervalSeconds}s` : ""}`}</td>
                  <td onClick={(e) => e.stopPropagation()}>{(i.jobName ? [i.jobName] : (i.jobNames ?? [])).map((j) => <Link key={j} to={`/jobs/${encodeURIComponent(i.locationName)}/${encodeURIComponent(j)}`} style={{ marginRight: 6 }}>{j}</Link>)}</td>
                  <td className="small">{kind === "schedules" ? (i.state.status === "RUNNING" ? formatTime(i.futureTicks?.[0]) : <span className="muted">stopped</span>) : formatTime(ticks[0]?.timestamp)}</td>
                  <td onClick={(e) => e.stopPropagation()} data-testid={`state-${i.name}`}>
                    {i.state.__typename === "InstigationState" ? (
                      <div className="row" style={{ flexWrap: "nowrap" }}>
                        <StatusPill status={i.state.status} />
                        <Toggle kind={kind} item={i} onError={setActionError} />
                      </div>
                    ) : (
                      <span className="muted">not available</span>
                    )}
                    {i.state.statusDeclaredInCode && <div className="muted small">default_status in code</div>}
                  </td>
                  <td>{i.state.ticks ? <TickStrip ticks={ticks} /> : <span className="muted">—</span>}</td>
                </tr>
              );
            })}
            {data && items.length === 0 && <tr><td colSpan={6} className="muted">No {kind} in the loaded locations.</td></tr>}
          </tbody>
        </table>
      </div>
      {selected && (
        <div className="panel flush" data-testid="instigator-detail" style={{ marginTop: 14 }}>
          <div className="row" style={{ padding: "10px 14px" }}>
            <h2 style={{ margin: 0 }}>{selected.name}</h2>
            <span className="muted">{selected.locationName}</span>
            <span className="spacer" />
            <span className="muted small">tick history, newest first (the last 25)</span>
          </div>
          <TickHistory ticks={selected.state.ticks ?? []} />
        </div>
      )}
    </div>
  );
}
