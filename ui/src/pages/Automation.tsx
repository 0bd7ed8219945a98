import { useState, type ReactElement } from "react";
import { useGql } from "../api";
import { ErrorView, Loading, formatTime } from "../components/Status";

export interface EvaluationNode {
  uniqueId: string;
  userLabel: string | null;
  name: string;
  expandedLabel: string[];
  numTrue: number;
  numCandidates: number;
  isPartitioned: boolean;
  childUniqueIds: string[];
  depKey: string | null;
  truePartitionRanges: { start: string; end: string }[];
}

interface EvaluationRecord {
  id: string;
  evaluationId: number;
  entityKey: string;
  isCheck: boolean;
  timestamp: number;
  numRequested: number;
  numCandidates: number;
  isPartitioned: boolean;
  runIds: string[];
  rootUniqueId: string;
  requestedPartitionRanges: { start: string; end: string }[];
  evaluationNodes: EvaluationNode[];
}

const LATEST = `{ latestAutomationEvaluations { id evaluationId entityKey isCheck timestamp numRequested numCandidates isPartitioned runIds } }`;

const RECORDS = `query($key: AssetKeyInput!, $check: String) {
  assetConditionEvaluationRecordsOrError(assetKey: $key, assetCheckName: $check, limit: 10) {
    __typename
    ... on PythonError { message }
    ... on AssetConditionEvaluationRecords { records {
      id evaluationId entityKey isCheck timestamp numRequested numCandidates isPartitioned runIds rootUniqueId
      requestedPartitionRanges { start end }
      evaluationNodes { uniqueId userLabel name expandedLabel numTrue numCandidates isPartitioned childUniqueIds depKey truePartitionRanges { start end } }
    } }
  }
}`;

/** Renders a condition's result tree: each node with how many candidates it was true for. */
export function ConditionTree({ nodes, rootId }: { nodes: EvaluationNode[]; rootId: string }) {
  const byId = new Map(nodes.map((n) => [n.uniqueId, n]));
  const render = (id: string, depth: number): ReactElement | null => {
    const node = byId.get(id);
    if (!node) return null;
    const passed = node.numTrue > 0;
    const skipped = node.numCandidates === 0; // an earlier operand of an AND left nothing to evaluate
    const ranges = node.truePartitionRanges.map((r) => (r.start === r.end ? r.start : `${r.start}…${r.end}`));
    return (
      <div key={id}>
        <div className="cond-node" style={{ paddingLeft: depth * 16 }} data-testid="condition-node">
          <span className={passed ? "cond-true" : "cond-false"} title={skipped ? "not evaluated: no candidates left" : undefined}>
            {passed ? "✓" : skipped ? "·" : "✗"}
          </span>{" "}
          {node.depKey && <span className="mono muted">[{node.depKey}] </span>}
          <strong>{node.userLabel ?? node.name}</strong>
          {node.userLabel && <span className="muted"> {node.name}</span>}
          <span className="muted"> — {node.expandedLabel.join(" ")}</span>
          <span className="mono"> {node.numTrue}/{node.numCandidates}</span>
          {node.isPartitioned && ranges.length > 0 && (
            <span className="mono muted"> {ranges.slice(0, 3).join(", ")}{ranges.length > 3 ? ` +${ranges.length - 3}` : ""}</span>
          )}
        </div>
        {node.childUniqueIds.map((c) => render(c, depth + 1))}
      </div>
    );
  };
  return <div className="cond-tree">{render(rootId, 0)}</div>;
}

function entityVariables(entityKey: string, isCheck: boolean): Record<string, unknown> {
  if (!isCheck) return { key: { path: entityKey.split("/") }, check: null };
  const at = entityKey.lastIndexOf(":");
  return { key: { path: entityKey.slice(0, at).split("/") }, check: entityKey.slice(at + 1) };
}

function EntityEvaluations({ entityKey, isCheck }: { entityKey: string; isCheck: boolean }) {
  type Result = { assetConditionEvaluationRecordsOrError: { __typename: string; message?: string; records?: EvaluationRecord[] } };
  const { data, error, isLoading } = useGql<Result>(["automation", entityKey], RECORDS, entityVariables(entityKey, isCheck), { refetchInterval: 5000 });
  const result = data?.assetConditionEvaluationRecordsOrError;
  return (
    <div className="panel" data-testid="entity-evaluations">
      <h3>{entityKey}: last evaluations</h3>
      {error && <ErrorView error={error} />}
      {isLoading && <Loading />}
      {result?.__typename === "PythonError" && <ErrorView error={result.message ?? ""} />}
      {result?.records?.map((r) => (
        <div key={r.id} className="cond-record">
          <div>
            <strong>#{r.evaluationId}</strong> {formatTime(r.timestamp)} —{" "}
            {r.numRequested > 0 ? <span className="cond-true">requested {r.numRequested}</span> : <span className="muted">not requested</span>}
            {r.isPartitioned && <span className="muted"> of {r.numCandidates} partitions</span>}
            {r.runIds.length > 0 && <span className="mono muted"> → {r.runIds.join(", ")}</span>}
          </div>
          <ConditionTree nodes={r.evaluationNodes} rootId={r.rootUniqueId} />
        </div>
      ))}
      {result?.records?.length === 0 && <div className="muted">No evaluations yet.</div>}
    </div>
  );
}

export default function Automation() {
  const { data, error, isLoading } = useGql<{ latestAutomationEvaluations: EvaluationRecord[] }>(["automation-latest"], LATEST, undefined, { refetchInterval: 5000 });
  const [selected, setSelected] = useState<EvaluationRecord | null>(null);
  const rows = data?.latestAutomationEvaluations;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Automation</h1>
          <div className="sub">Declarative automation: per asset, its last evaluations and why it was or was not requested (an evaluation is kept when it requested something or its result changed).</div>
        </div>
      </div>
      {error && <ErrorView error={error} />}
      {isLoading && <Loading />}
      {rows && (
        <div className="panel flush">
          <table className="t">
            <thead><tr><th>Asset or check</th><th>Last changed</th><th>Evaluation</th><th>Requested</th><th>Runs</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.entityKey} onClick={() => setSelected(r)} style={{ cursor: "pointer" }} className={selected?.entityKey === r.entityKey ? "selected" : undefined}>
                  <td className="mono">{r.entityKey}</td>
                  <td>{formatTime(r.timestamp)}</td>
                  <td>#{r.evaluationId}</td>
                  <td>{r.numRequested}{r.isPartitioned ? ` / ${r.numCandidates}` : ""}</td>
                  <td className="mono">{r.runIds.join(", ") || "—"}</td>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr><td colSpan={5} className="muted">No evaluations yet: give assets an automation_condition and run the daemon.</td></tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {selected && <EntityEvaluations entityKey={selected.entityKey} isCheck={selected.isCheck} />}
    </div>
  );
}
