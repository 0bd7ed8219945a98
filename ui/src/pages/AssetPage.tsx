import { Fragment, lazy, Suspense, useMemo } from "react";
import { Link, useLocation } from "react-router-dom";
import { assetUrl, keyString, useGql, type AssetKey, type MetadataEntry } from "../api";
import { FRESHNESS_FIELDS, FreshnessPanel, type FreshnessData } from "../components/Freshness";
import { MaterializeButton } from "../components/MaterializeButton";
import { PartitionBar, type PartitionRange } from "../components/PartitionBar";
import { StaleBadge, type StaleCause } from "../components/StaleBadge";
import { ErrorView, Loading, StatusPill, formatTime } from "../components/Status";

const MetadataPlot = lazy(() => import("../components/MetadataPlot").then((m) => ({ default: m.MetadataPlot })));

interface Materialization {
  runId: string;
  timestamp: string;
  partition: string | null;
  codeVersion: string | null;
  metadataEntries: MetadataEntry[];
}
interface Observation {
  runId: string;
  timestamp: string;
  partition: string | null;
  tags: { key: string; value: string }[];
  metadataEntries: MetadataEntry[];
}
interface CheckExecution {
  runId: string;
  status: string;
  timestamp: number;
  partition: string | null;
  evaluation: { description: string | null; severity: string } | null;
}
interface AssetNodeData extends FreshnessData {
  __typename: string;
  message?: string;
  assetKey: AssetKey;
  locationName: string;
  groupName: string;
  description: string | null;
  kinds: string[];
  owners: string[];
  codeVersion: string | null;
  isPartitioned: boolean;
  isMaterializable: boolean;
  isObservable: boolean;
  autoObserveIntervalMinutes: number | null;
  jobNames: string[];
  tags: { key: string; value: string }[];
  metadataEntries: MetadataEntry[];
  dependencyKeys: AssetKey[];
  dependedByKeys: AssetKey[];
  partitionStatusRanges: { __typename: string; ranges?: PartitionRange[]; totalCount?: number } | null;
  partitionKeys: { keys?: string[]; totalCount?: number } | null;
  latestMaterializationFailed: boolean;
  lastRunId: string | null;
  staleStatus: string | null;
  staleCauses: StaleCause[];
  dataVersion: string | null;
  assetMaterializations: Materialization[];
  assetObservations: Observation[];
  assetChecks: { name: string; description: string | null; blocking: boolean; executions: CheckExecution[] }[];
}

const ASSET = `query Asset($key: AssetKeyInput!) {
  assetNodeOrError(assetKey: $key) {
    __typename
    ... on AssetNotFoundError { message }
    ... on AssetNode {
      assetKey { path } locationName groupName description kinds owners codeVersion isPartitioned isMaterializable
      jobNames tags { key value } metadataEntries { label type value text }
      dependencyKeys { path } dependedByKeys { path }
      partitionStatusRanges { __typename ... on PartitionStatusRanges { totalCount ranges { startKey endKey count status } } }
      partitionKeys(limit: 2000) { ... on PartitionKeys { keys totalCount } }
      latestMaterializationFailed lastRunId
      staleStatus dataVersion staleCauses { reason category partitionKey dependency { path } }
      assetMaterializations(limit: 100) { runId timestamp partition codeVersion metadataEntries { label type value text } }
      isObservable autoObserveIntervalMinutes
      assetObservations(limit: 25) { runId timestamp partition tags { key value } metadataEntries { label type value text } }
      assetChecks { name description blocking executions(limit: 20) {
        runId status timestamp partition evaluation { description severity } } }
      ${FRESHNESS_FIELDS}
    }
  }
}`;

/** The number in a metadata entry (its value is the codec's form: {"type": "int", "value": 3}). */
export function numericValue(e: MetadataEntry): number | null {
  const v = e.value;
  if (typeof v === "number") return v;
  if (v && typeof v === "object" && (e.type === "int" || e.type === "float")) {
    const inner = (v as Record<string, unknown>).value;
    return typeof inner === "number" ? inner : null;
  }
  return null;
}

/** Numeric metadata across materializations: label → [time, value] points (two or more). */
export function numericSeries(mats: Materialization[]): Map<string, [number, number][]> {
  const series = new Map<string, [number, number][]>();
  for (const m of mats) {
    for (const e of m.metadataEntries) {
      const v = numericValue(e);
      if (v === null || !Number.isFinite(v)) continue;
      const list = series.get(e.label) ?? [];
      list.push([Number(m.timestamp) / 1000, v]);
      series.set(e.label, list);
    }
  }
  for (const [k, v] of series) if (v.length < 2) series.delete(k);
  return series;
}

const IMAGE = /!\[([^\]]*)\]\((data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+)\)/g;

/** The images a Markdown metadata entry embeds as data URLs (``MetadataValue.md("![alt](data:image/png;base64,...)")``,
 * the way Dagster projects record plots). */
export function markdownImages(e: MetadataEntry): { alt: string; src: string }[] {
  const v = e.value as Record<string, unknown> | null;
  const md = v && typeof v === "object" && typeof v.md_str === "string" ? v.md_str : "";
  return [...md.matchAll(IMAGE)].map((m) => ({ alt: m[1] || e.label, src: m[2] }));
}

/** A metadata value as a person reads it: a path's path, a URL, a number; JSON otherwise. */
/** The data version an observation recorded (its ``dagster/data_version`` tag). */
export function observedVersion(o: Pick<Observation, "tags">): string | null {
  return o.tags.find((t) => t.key === "dagster/data_version")?.value ?? null;
}

export function metadataText(e: MetadataEntry): string {
  const v = e.value;
  if (markdownImages(e).length > 0) return "(image)";
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    for (const k of ["fspath", "path", "url", "text", "value"]) if (typeof o[k] === "string" || typeof o[k] === "number") return String(o[k]);
  }
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString() : String(v);
  return e.text;
}

function Keys({ keys }: { keys: AssetKey[] }) {
  if (keys.length === 0) return <span className="muted">none</span>;
  return (
    <div className="row">
      {keys.map((k) => (
        <Link key={keyString(k)} to={assetUrl(k)} className="tag" style={{ color: "var(--accent)" }}>
          {keyString(k)}
        </Link>
      ))}
    </div>
  );
}

export default function AssetPage() {
  const { pathname } = useLocation();
  const path = pathname.replace(/^\/assets\//, "").split("/").filter(Boolean).map(decodeURIComponent);
  const { data, error, isLoading } = useGql<{ assetNodeOrError: AssetNodeData }>(
    ["asset", ...path],
    ASSET,
    { key: { path } },
    { refetchInterval: 3000 },
  );
  const node = data?.assetNodeOrError;
  const series = useMemo(() => numericSeries(node?.assetMaterializations ?? []), [node]);
  if (error) return <div className="page"><ErrorView error={error} /></div>;
  if (isLoading || !node) return <Loading what="the asset" />;
  if (node.__typename !== "AssetNode") {
    return (
      <div className="page">
        <h1>{path.join("/")}</h1>
        <ErrorView error={node.message ?? "No such asset."} />
        <Link to="/assets">Back to the catalog</Link>
      </div>
    );
  }
  const latest = node.assetMaterializations[0];
  const ranges = node.partitionStatusRanges?.ranges;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <div className="muted small">
            <Link to="/assets">Assets</Link> / {node.groupName}
          </div>
          <h1 data-testid="asset-title">{keyString(node.assetKey)}</h1>
          <div className="row">
            {node.isObservable ? (
              <StatusPill
                status={node.assetObservations[0] ? "SUCCESS" : null}
                label={node.assetObservations[0] ? "observed" : "never observed"}
              />
            ) : (
              <StatusPill
                status={node.latestMaterializationFailed ? "FAILED" : latest ? "MATERIALIZED" : null}
                label={node.latestMaterializationFailed ? "failed" : latest ? "materialized" : "never materialized"}
              />
            )}
            <StaleBadge status={node.staleStatus} title={node.staleCauses.map((c) => c.reason).join("; ")} />
            {node.kinds.map((k) => (
              <span key={k} className="tag">{k}</span>
            ))}
            <Link to={`/lineage?select=${encodeURIComponent(`+key:"${keyString(node.assetKey)}"+`)}`}>Lineage →</Link>
          </div>
        </div>
        {node.isMaterializable && (
          <MaterializeButton keys={[node.assetKey]} location={node.locationName} partitionKeys={node.partitionKeys?.keys} />
        )}
      </div>
      <div className="grid2">
        <div className="panel">
          <h2>Definition</h2>
          <p style={{ marginTop: 0, whiteSpace: "pre-wrap" }}>{node.description ?? <span className="muted">No description.</span>}</p>
          <dl className="kv">
            <dt>Location</dt><dd>{node.locationName}</dd>
            <dt>Group</dt><dd>{node.groupName}</dd>
            <dt>Code version</dt><dd className="mono">{node.codeVersion ?? "—"}</dd>
            <dt>Data version</dt><dd className="mono" title={node.dataVersion ?? ""}>{node.dataVersion ? node.dataVersion.slice(0, 16) : "—"}</dd>
            <dt>Staleness</dt>
            <dd data-testid="staleness">
              {node.staleStatus === "STALE" ? (
                <ul className="plain" data-testid="stale-causes" style={{ margin: 0, paddingLeft: 16 }}>
                  {node.staleCauses.map((c, i) => (
                    <li key={i}>
                      {c.reason}
                      {c.dependency && <> (<Link to={assetUrl(c.dependency)}>{keyString(c.dependency)}</Link>)</>}
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted">{node.staleStatus === "FRESH" ? "fresh" : node.staleStatus === "MISSING" ? "not materialized" : "—"}</span>
              )}
            </dd>
            {node.isObservable && (
              <><dt>Auto-observe</dt><dd>{node.autoObserveIntervalMinutes ? `every ${node.autoObserveIntervalMinutes} min` : "—"}</dd></>
            )}
            <dt>Owners</dt><dd>{node.owners.join(", ") || "—"}</dd>
            <dt>Jobs</dt><dd>{node.jobNames.filter((j) => !j.startsWith("__")).join(", ") || "—"}</dd>
            {node.tags.some((t) => !t.key.startsWith("dagster/kind/")) && <><dt>Tags</dt><dd>{node.tags.filter((t) => !t.key.startsWith("dagster/kind/")).map((t) => <span key={t.key} className="tag" style={{ marginRight: 4 }}>{t.value ? `${t.key}=${t.value}` : t.key}</span>)}</dd></>}
            {node.metadataEntries.map((e) => (
              <Fragment key={e.label}><dt>{e.label}</dt><dd>{metadataText(e)}</dd></Fragment>
            ))}
          </dl>
        </div>
        <div className="panel">
          <h2>Lineage</h2>
          <h3>Upstream</h3>
          <Keys keys={node.dependencyKeys} />
          <h3 style={{ marginTop: 12 }}>Downstream</h3>
          <Keys keys={node.dependedByKeys} />
        </div>
      </div>
      <FreshnessPanel data={node} />
      {node.isPartitioned && ranges && (
        <div className="panel">
          <h2>Partitions</h2>
          <PartitionBar ranges={ranges} total={node.partitionStatusRanges?.totalCount ?? 0} />
        </div>
      )}
      {latest && latest.metadataEntries.some((e) => markdownImages(e).length > 0) && (
        <div className="panel" data-testid="metadata-images">
          <h2>Images</h2>
          {latest.metadataEntries.flatMap((e) =>
            markdownImages(e).map((img, i) => (
              <figure key={`${e.label}-${i}`} style={{ margin: "0 0 12px" }}>
                <img src={img.src} alt={img.alt} style={{ maxWidth: "100%" }} />
                <figcaption className="muted">{e.label}</figcaption>
              </figure>
            )),
          )}
        </div>
      )}
      {series.size > 0 && (
        <div className="grid2">
          {[...series].slice(0, 4).map(([label, points]) => (
            <div className="panel" key={label}>
              <h2>{label} over time</h2>
              <Suspense fallback={<Loading />}>
                <MetadataPlot label={label} points={points} />
              </Suspense>
            </div>
          ))}
        </div>
      )}
      {node.isObservable && (
        <div className="panel flush">
          <h2 style={{ padding: "10px 12px 0" }}>Observations</h2>
          {node.assetObservations.length === 0 ? (
            <div className="muted" style={{ padding: 12 }}>Not observed yet.</div>
          ) : (
            <table className="t" data-testid="observations">
              <thead><tr><th>When</th><th>Run</th><th>Partition</th><th>Data version</th><th>Metadata</th></tr></thead>
              <tbody>
                {node.assetObservations.map((o) => (
                  <tr key={o.timestamp + o.runId + (o.partition ?? "")}>
                    <td>{formatTime(Number(o.timestamp) / 1000)}</td>
                    <td className="mono">{o.runId ? <Link to={`/runs/${o.runId}`}>{o.runId.slice(0, 8)}</Link> : "reported"}</td>
                    <td>{o.partition ?? ""}</td>
                    <td className="mono">{observedVersion(o) ?? ""}</td>
                    <td>{o.metadataEntries.map((e) => <span key={e.label} className="tag" style={{ marginRight: 4 }}>{e.label}: {metadataText(e)}</span>)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <div className="panel flush">
        <h2 style={{ padding: "10px 12px 0" }}>Materializations</h2>
        {node.assetMaterializations.length === 0 ? (
          <div className="muted" style={{ padding: 12 }}>Not materialized yet.</div>
        ) : (
          <table className="t" data-testid="materializations">
            <thead><tr><th>When</th><th>Run</th><th>Partition</th><th>Code version</th><th>Metadata</th></tr></thead>
            <tbody>
              {node.assetMaterializations.slice(0, 30).map((m) => (
                <tr key={m.timestamp + m.runId + (m.partition ?? "")}>
                  <td>{formatTime(Number(m.timestamp) / 1000)}</td>
                  <td className="mono"><Link to={`/runs/${m.runId}`}>{m.runId.slice(0, 8)}</Link></td>
                  <td>{m.partition ?? ""}</td>
                  <td className="mono">{m.codeVersion && m.codeVersion !== m.runId ? m.codeVersion : ""}</td>
                  <td>{m.metadataEntries.map((e) => <span key={e.label} className="tag" style={{ marginRight: 4 }}>{e.label}: {metadataText(e)}</span>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="panel">
        <h2>Checks</h2>
        {node.assetChecks.length === 0 && <div className="muted">No checks on this asset.</div>}
        {node.assetChecks.map((c) => (
          <div key={c.name} style={{ marginBottom: 10 }}>
            <div className="row">
              <strong>{c.name}</strong>
              {c.blocking && <span className="tag">blocking</span>}
              <StatusPill status={c.executions[0]?.status ?? null} label={c.executions[0] ? undefined : "not run"} />
              <span className="muted">{c.description}</span>
            </div>
            <div className="row" style={{ marginTop: 4, gap: 3 }} aria-label="history">
              {c.executions.map((e) => (
                <Link key={e.runId + e.timestamp} to={`/runs/${e.runId}`} title={`${formatTime(e.timestamp)} · ${e.status}${e.evaluation?.description ? ` · ${e.evaluation.description}` : ""}`}>
                  <span className={`gantt-bar ${e.status === "SUCCEEDED" ? "b-ok" : e.status === "FAILED" ? "b-fail" : "b-run"}`} style={{ position: "static", display: "inline-block", width: 10 }} />
                </Link>
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
