import { lazy, Suspense, useMemo, useState } from "react";
import { Link, NavLink, useParams } from "react-router-dom";
import { RUN_SUMMARY, useGql, type RunSummary } from "../api";
import { ErrorView, Loading } from "../components/Status";
import { GraphView } from "../graph/GraphView";
import type { GraphModel, NodeStatus } from "../graph/model";
import { RunsTable } from "./RunsTable";

const Launchpad = lazy(() => import("./Launchpad"));

interface JobData {
  pipelineOrError: {
    __typename: string;
    message?: string;
    name: string;
    description: string | null;
    isAssetJob: boolean;
    tags: { key: string; value: string }[];
    ops: { handle: string; opName: string; after: string[]; outputs: { name: string; assetKey: { path: string[] } | null }[]; requiredResourceKeys: string[] }[];
    edges: { fromNode: string; toNode: string }[];
    runs: RunSummary[];
    lastRun: { runId: string; stepStats: { stepKey: string; status: string | null }[] }[];
  };
}

const JOB = `query Job($params: PipelineSelector!) {
  pipelineOrError(params: $params) {
    __typename
    ... on Error { message }
    ... on Job { name description isAssetJob tags { key value }
      ops { handle opName after requiredResourceKeys outputs { name assetKey { path } } }
      edges { fromNode toNode }
      runs(limit: 10) { ${RUN_SUMMARY} }
      lastRun: runs(limit: 1) { runId stepStats { stepKey status } } }
  }
}`;

const STEP_STATUS: Record<string, NodeStatus> = { SUCCESS: "ok", FAILURE: "fail", IN_PROGRESS: "run" };

/** The op graph, each op coloured by how its step ended in the job's last run. */
export function opGraphModel(job: JobData["pipelineOrError"]): GraphModel {
  const status = new Map<string, NodeStatus>();
  for (const s of job.lastRun?.[0]?.stepStats ?? []) status.set(s.stepKey, STEP_STATUS[s.status ?? ""] ?? "idle");
  const seen = new Set<string>();
  const edges = [...job.edges.map((e) => ({ source: e.fromNode, target: e.toNode })), ...job.ops.flatMap((o) => o.after.map((a) => ({ source: a, target: o.handle })))].filter((e) => {
    const k = e.source + ">" + e.target;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return {
    nodes: job.ops.map((o) => ({
      id: o.handle,
      label: o.handle,
      sub: o.opName !== o.handle ? o.opName : o.outputs.map((x) => x.name).join(", "),
      status: status.get(o.handle) ?? "idle",
    })),
    edges,
  };
}

export default function JobPage({ launchpad }: { launchpad?: boolean }) {
  const { location = "", job = "" } = useParams();
  const { data, error } = useGql<JobData>(["job", location, job], JOB, { params: { repositoryLocationName: location, pipelineName: job } }, { refetchInterval: 5000 });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const j = data?.pipelineOrError;
  const model = useMemo(() => (j?.__typename === "Job" ? opGraphModel(j) : { nodes: [], edges: [] }), [j]);
  const base = `/jobs/${encodeURIComponent(location)}/${encodeURIComponent(job)}`;
  if (error) return <div className="page"><ErrorView error={error} /></div>;
  if (!j) return <Loading what="the job" />;
  if (j.__typename !== "Job") return <div className="page"><h1>{job}</h1><ErrorView error={j.message ?? j.__typename} /><Link to="/jobs">All jobs</Link></div>;
  return (
    <div className="page fill">
      <div className="page-head">
        <div>
          <div className="muted small"><Link to="/jobs">Jobs</Link> / {location}</div>
          <h1>{j.name}</h1>
          <div className="sub">{j.description ?? (j.isAssetJob ? "An asset job." : "An op job.")} {j.tags.map((t) => <span key={t.key} className="tag">{t.key}={t.value}</span>)}</div>
        </div>
      </div>
      <div className="tabs">
        <NavLink to={base} end>Overview</NavLink>
        <NavLink to={`${base}/launchpad`}>Launchpad</NavLink>
      </div>
      {launchpad ? (
        <Suspense fallback={<Loading what="the launchpad" />}>
          <Launchpad location={location} job={j.name} defaultConfig={j.runs[0]} />
        </Suspense>
      ) : (
        <>
          <div className="graph-wrap" style={{ minHeight: 360 }}>
            <GraphView model={model} selected={selected} match={() => true} focus={null} onSelect={(id) => setSelected(new Set([id]))} onOpen={() => undefined} />
          </div>
          <div className="panel flush">
            <h2 style={{ padding: "10px 12px 0" }}>Recent runs</h2>
            <RunsTable runs={j.runs} />
          </div>
        </>
      )}
    </div>
  );
}
