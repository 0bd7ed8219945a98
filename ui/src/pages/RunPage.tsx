import { useVirtualizer } from "@tanstack/react-virtual";
import { Fragment, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { LAUNCH_RESULT, RUN_SUMMARY, assetUrl, keyString, queryClient, useGql, useGqlMutation, type LaunchResult, type RunSummary } from "../api";
import { ComputeLogView } from "../components/ComputeLogView";
import { launchErrorText } from "../components/MaterializeButton";
import { isUnchangedSkip } from "../components/StaleBadge";
import { ErrorView, Loading, StatusPill, formatDuration, formatTime, isRunFinished } from "../components/Status";
import { useRunEvents, type RunEventRow } from "../runEvents";
import { runTarget } from "./RunsTable";

interface StepStat {
  stepKey: string;
  status: string | null;
  startTime: number | null;
  endTime: number | null;
  attempts: number;
}
interface RunData {
  runOrError: RunSummary & {
    __typename: string;
    message?: string;
    canTerminate: boolean;
    runConfigYaml: string;
    parentRunId: string | null;
    rootRunId: string | null;
    updateTime: number;
    stepStats: StepStat[];
  };
}

const RUN = `query Run($id: ID!) {
  runOrError(runId: $id) {
    __typename
    ... on Error { message }
    ... on Run { ${RUN_SUMMARY} canTerminate runConfigYaml parentRunId rootRunId updateTime
      stepStats { stepKey status startTime endTime attempts } }
  }
}`;
const REEXECUTE = `mutation Reexecute($params: ReexecutionParams!) { launchRunReexecution(reexecutionParams: $params) { ${LAUNCH_RESULT} } }`;
const TERMINATE = `mutation Terminate($id: String!) { terminateRun(runId: $id) { __typename ... on TerminateRunFailure { message } ... on Error { message } ... on PythonError { message } } }`;

const BAR: Record<string, string> = { SUCCESS: "b-ok", FAILURE: "b-fail", IN_PROGRESS: "b-run", SKIPPED: "b-idle" };

export function Gantt({ steps, start, end }: { steps: StepStat[]; start: number; end: number }) {
  const span = Math.max(end - start, 0.001);
  const sorted = [...steps].sort((a, b) => (a.startTime ?? Infinity) - (b.startTime ?? Infinity));
  return (
    <div className="gantt" data-testid="gantt">
      {sorted.map((s) => {
        const left = s.startTime != null ? ((s.startTime - start) / span) * 100 : 0;
        const width = s.startTime != null ? (((s.endTime ?? end) - s.startTime) / span) * 100 : 0;
        return (
          <div className="gantt-row" key={s.stepKey}>
            <div className="lbl" title={s.stepKey}>{s.stepKey}</div>
            <div className="lane">
              {s.startTime == null && s.status === "SKIPPED" && <span className="muted small" style={{ paddingLeft: 4 }}>skipped</span>}
              {s.startTime != null && (
                <div className={`gantt-bar ${BAR[s.status ?? ""] ?? "b-idle"}`} style={{ left: `${left}%`, width: `${Math.max(width, 0.4)}%` }} title={`${s.stepKey}: ${s.status ?? "pending"}, ${formatDuration(s.startTime, s.endTime)}${s.attempts > 1 ? `, ${s.attempts} attempts` : ""}`} />
              )}
            </div>
          </div>
        );
      })}
      {sorted.length === 0 && <div className="muted">No steps have started.</div>}
    </div>
  );
}

export function filterEvents(events: RunEventRow[], step: string, type: string, level: string, q: string): RunEventRow[] {
  const needle = q.toLowerCase();
  return events.filter(
    (e) =>
      (!step || e.stepKey === step) &&
      (!type || e.eventType === type || (type === "LOG" && e.eventType === null)) &&
      (!level || e.level === level) &&
      (!needle || e.message.toLowerCase().includes(needle)),
  );
}

function EventLog({ events }: { events: RunEventRow[] }) {
  const [params, setParams] = useSearchParams();
  const step = params.get("step") ?? "";
  const type = params.get("type") ?? "";
  const level = params.get("level") ?? "";
  const q = params.get("q") ?? "";
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  // The filter in the URL is an option before the events that have it arrive (a reload keeps it).
  const steps = useMemo(() => [...new Set([...events.map((e) => e.stepKey).filter((s): s is string => !!s), ...(step ? [step] : [])])].sort(), [events, step]);
  const types = useMemo(() => [...new Set([...events.map((e) => e.eventType ?? "LOG"), ...(type ? [type] : [])])].sort(), [events, type]);
  const rows = useMemo(() => filterEvents(events, step, type, level, q), [events, step, type, level, q]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 24, overscan: 20 });
  return (
    <div className="panel flush" style={{ display: "flex", flexDirection: "column" }}>
      <div className="row" style={{ padding: 8 }}>
        <select value={step} onChange={(e) => set("step", e.target.value)} aria-label="Step">
          <option value="">All steps</option>
          {steps.map((s) => <option key={s}>{s}</option>)}
        </select>
        <select value={type} onChange={(e) => set("type", e.target.value)} aria-label="Event type">
          <option value="">All types</option>
          {types.map((t) => <option key={t}>{t}</option>)}
        </select>
        <select value={level} onChange={(e) => set("level", e.target.value)} aria-label="Level">
          <option value="">All levels</option>
          {["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"].map((l) => <option key={l}>{l}</option>)}
        </select>
        <input placeholder="Search messages" value={q} onChange={(e) => set("q", e.target.value)} aria-label="Search events" />
        <span className="muted">{rows.length.toLocaleString()} of {events.length.toLocaleString()} events</span>
      </div>
      <div ref={scroller} className="vlist log" style={{ height: 420 }} data-testid="event-log">
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((item) => {
            const e = rows[item.index];
            return (
              <div key={item.key} className={`lrow ${e.level}`} style={{ position: "absolute", top: item.start, left: 0, right: 0, height: item.size, overflow: "hidden" }} data-event-type={e.eventType ?? "LOG"}>
                <span className="muted">{new Date(Number(e.timestamp)).toLocaleTimeString([], { hour12: false })}</span>
                <span className="ellipsis">{e.stepKey ?? ""}</span>
                <span className="ellipsis">{e.eventType ?? e.level}</span>
                <span className="ellipsis" title={e.message}>
                  {e.assetKey && <Link to={assetUrl(e.assetKey)}>{keyString(e.assetKey)}</Link>} {e.message}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export default function RunPage() {
  const { runId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") ?? "events";
  const navigate = useNavigate();
  const [actionError, setActionError] = useState<string | null>(null);
  const { events, ended } = useRunEvents(runId);
  const unchanged = useMemo(() => events.filter(isUnchangedSkip).map((e) => e.stepKey ?? "").filter(Boolean), [events]);
  const [finished, setFinished] = useState(false);
  const { data, error, refetch } = useGql<RunData>(["run", runId], RUN, { id: runId }, { refetchInterval: finished ? false : 1000 });
  const run = data?.runOrError;
  useEffect(() => {
    if (run?.__typename === "Run") setFinished(isRunFinished(run.status));
  }, [run]);
  useEffect(() => {
    if (ended) void refetch();
  }, [ended, refetch]);
  const reexecute = useGqlMutation<{ launchRunReexecution: LaunchResult }, { params: Record<string, unknown> }>(REEXECUTE);
  const terminate = useGqlMutation<{ terminateRun: { __typename: string; message?: string } }, { id: string }>(TERMINATE);
  if (error) return <div className="page"><ErrorView error={error} /></div>;
  if (!run) return <Loading what="the run" />;
  if (run.__typename !== "Run") return <div className="page"><h1>Run {runId}</h1><ErrorView error={run.message ?? "No such run."} /></div>;
  const start = run.startTime ?? run.creationTime;
  const end = run.endTime ?? Date.now() / 1000;
  const onReexecute = async (strategy: string) => {
    setActionError(null);
    try {
      const r = (await reexecute.mutateAsync({ params: { parentRunId: run.runId, strategy } })).launchRunReexecution;
      const err = launchErrorText(r);
      if (err) setActionError(err);
      else if (r.run) navigate(`/runs/${r.run.runId}`);
    } catch (e) {
      setActionError((e as Error).message);
    }
  };
  const onCancel = async () => {
    setActionError(null);
    const r = (await terminate.mutateAsync({ id: run.runId })).terminateRun;
    if (r.__typename !== "TerminateRunSuccess") setActionError(r.message ?? r.__typename);
    await queryClient.invalidateQueries({ queryKey: ["run", runId] });
  };
  const setTab = (t: string) => {
    const next = new URLSearchParams(params);
    next.set("tab", t);
    setParams(next, { replace: true });
  };
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <div className="muted small"><Link to="/runs">Runs</Link> / <span className="mono">{run.runId}</span></div>
          <h1 className="row">
            {runTarget(run)} <span data-testid="run-status"><StatusPill status={run.status} /></span>
          </h1>
          <div className="sub">
            Created {formatTime(run.creationTime)} · {formatDuration(run.startTime, run.endTime)}
            {run.partition && <> · partition <strong>{run.partition}</strong></>}
            {run.parentRunId && <> · re-execution of <Link to={`/runs/${run.parentRunId}`} className="mono">{run.parentRunId.slice(0, 8)}</Link></>}
          </div>
        </div>
        <div className="row">
          {run.canTerminate && <button className="danger" onClick={onCancel} disabled={terminate.isPending} data-testid="cancel">Cancel run</button>}
          {isRunFinished(run.status) && (
            <>
              <button onClick={() => onReexecute("ALL_STEPS")} disabled={reexecute.isPending}>Re-execute all</button>
              {run.status !== "SUCCESS" && <button onClick={() => onReexecute("FROM_FAILURE")} disabled={reexecute.isPending}>From failure</button>}
            </>
          )}
        </div>
      </div>
      {actionError && <ErrorView error={actionError} />}
      <div className="panel">
        <h2>Steps</h2>
        {unchanged.length > 0 && (
          <div className="notice" data-testid="skipped-unchanged" style={{ marginBottom: 8 }}>
            {unchanged.length} step{unchanged.length === 1 ? "" : "s"} skipped as unchanged (same code version and input data versions as their last materialization; their stored outputs were reused): {unchanged.join(", ")}
          </div>
        )}
        <Gantt steps={run.stepStats} start={start} end={end} />
      </div>
      <div className="tabs">
        {[["events", "Event log"], ["logs", "Compute logs"], ["config", "Config and tags"]].map(([t, label]) => (
          <a key={t} href={`?tab=${t}`} className={tab === t ? "active" : ""} onClick={(e) => { e.preventDefault(); setTab(t); }}>{label}</a>
        ))}
      </div>
      {tab === "events" && <EventLog events={events} />}
      {tab === "logs" && <ComputeLogView runId={run.runId} finished={finished} />}
      {tab === "config" && (
        <div className="grid2">
          <div className="panel"><h2>Run config</h2><pre>{run.runConfigYaml}</pre></div>
          <div className="panel"><h2>Tags</h2><dl className="kv">{run.tags.map((t) => <Fragment key={t.key}><dt>{t.key}</dt><dd className="mono">{t.value}</dd></Fragment>)}</dl></div>
        </div>
      )}
    </div>
  );
}
