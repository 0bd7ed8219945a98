// A run's compute logs: each step's stdout and stderr (captured per step by the run worker), picked from
// the steps that wrote something, or the run worker's whole output. Follows the run while it runs.
import { useSearchParams } from "react-router-dom";
import { useGql } from "../api";
import { Loading } from "./Status";

interface RunLogs {
  runOrError: {
    capturedLogStepKeys?: string[];
    computeLogs?: { text: string; size: number; truncated: boolean; path: string } | null;
  };
}
interface StepLogs {
  capturedLogs: { stdout: string | null; stderr: string | null; stdoutTruncated: boolean; stderrTruncated: boolean };
}

const RUN_LOGS = `query Logs($id: ID!) { runOrError(runId: $id) { ... on Run { capturedLogStepKeys computeLogs(maxBytes: 1000000) { path text size truncated } } } }`;
const STEP_LOGS = `query StepLogs($key: [String!]!) { capturedLogs(logKey: $key, limit: 1000000) { stdout stderr stdoutTruncated stderrTruncated } }`;
const WORKER = "__worker__";

function Stream({ name, text, truncated, testId }: { name: string; text: string | null; truncated: boolean; testId: string }) {
  return (
    <div className="panel" style={{ minWidth: 0 }}>
      <div className="muted small" style={{ marginBottom: 6 }}>{name}{truncated ? " (showing the end)" : ""}</div>
      <pre data-testid={testId} style={{ maxHeight: 480, margin: 0 }}>{text ? text : <span className="muted">(nothing written)</span>}</pre>
    </div>
  );
}

export function ComputeLogView({ runId, finished }: { runId: string; finished: boolean }) {
  const [params, setParams] = useSearchParams();
  const run = useGql<RunLogs>(["compute-logs", runId], RUN_LOGS, { id: runId }, { refetchInterval: finished ? false : 2000 });
  const steps = run.data?.runOrError.capturedLogStepKeys ?? [];
  const chosen = params.get("logStep") ?? (steps[0] ?? WORKER);
  const step = useGql<StepLogs>(["step-logs", runId, chosen], STEP_LOGS, { key: [runId, "compute_logs", chosen] }, {
    enabled: chosen !== WORKER,
    refetchInterval: finished ? false : 2000,
  });
  const pick = (value: string) => {
    const next = new URLSearchParams(params);
    next.set("logStep", value);
    setParams(next, { replace: true });
  };
  if (!run.data) return <Loading what="compute logs" />;
  const worker = run.data.runOrError.computeLogs;
  const logs = step.data?.capturedLogs;
  return (
    <div data-testid="compute-logs" style={{ display: "flex", flexDirection: "column", gap: 10 }}>
      <div className="row">
        <label className="row">Output of
          <select aria-label="Log of" value={chosen} onChange={(e) => pick(e.target.value)}>
            {steps.map((s) => <option key={s} value={s}>step {s}</option>)}
            {!steps.includes(chosen) && chosen !== WORKER && <option value={chosen}>step {chosen}</option>}
            <option value={WORKER}>the run worker (whole run)</option>
          </select>
        </label>
        <span className="muted small">
          {steps.length ? `${steps.length} step${steps.length === 1 ? "" : "s"} wrote output` : "no step output captured"}
        </span>
      </div>
      {chosen === WORKER ? (
        worker ? (
          <div className="panel">
            <div className="muted small" style={{ marginBottom: 6 }}>
              stdout and stderr of the run worker ({(worker.size / 1024).toFixed(1)} KB{worker.truncated ? ", showing the end" : ""}) · <span className="mono">{worker.path}</span>
            </div>
            <pre data-testid="worker-log" style={{ maxHeight: 480 }}>{worker.text || "(empty)"}</pre>
          </div>
        ) : (
          <div className="notice">No captured output: this run was not started by a run launcher (e.g. it ran in the launching process).</div>
        )
      ) : !logs ? (
        <Loading what={`the output of ${chosen}`} />
      ) : logs.stdout === null && logs.stderr === null ? (
        <div className="notice">Step {chosen} has written nothing yet.</div>
      ) : (
        <div className="grid2">
          <Stream name="stdout" text={logs.stdout} truncated={logs.stdoutTruncated} testId="step-stdout" />
          <Stream name="stderr" text={logs.stderr} truncated={logs.stderrTruncated} testId="step-stderr" />
        </div>
      )}
    </div>
  );
}
