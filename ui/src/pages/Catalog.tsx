import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { assetUrl, keyString } from "../api";
import { assetState, failingChecks, useActiveRuns, useCatalog, type CatalogAsset } from "../catalog";
import { StaleBadge } from "../components/StaleBadge";
import { ErrorView, Loading, StatusPill, formatAgo } from "../components/Status";

const COLUMNS = "minmax(240px, 2.4fr) 130px 140px 150px 120px 110px";
const STATE_LABEL = { MATERIALIZED: "materialized", FAILED: "failed", MATERIALIZING: "materializing", NEVER: "never materialized" };

export function filterAssets(
  assets: CatalogAsset[],
  q: string,
  group: string,
  kind: string,
  state: string,
): CatalogAsset[] {
  const needle = q.trim().toLowerCase();
  return assets.filter(
    (a) =>
      (!needle || keyString(a.assetKey).toLowerCase().includes(needle) || (a.description ?? "").toLowerCase().includes(needle)) &&
      (!group || a.groupName === group) &&
      (!kind || a.kinds.includes(kind)) &&
      (!state || assetState(a) === state),
  );
}

export default function Catalog() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const group = params.get("group") ?? "";
  const kind = params.get("kind") ?? "";
  const state = params.get("state") ?? "";
  const selection = params.get("select") ?? "";
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const { data, error, isLoading } = useCatalog(selection || null, 5000);
  const runStatus = useActiveRuns();
  const all = useMemo(() => data?.assetNodes.nodes ?? [], [data]);
  const groups = useMemo(() => [...new Set(all.map((a) => a.groupName))].sort(), [all]);
  const kinds = useMemo(() => [...new Set(all.flatMap((a) => a.kinds))].sort(), [all]);
  const rows = useMemo(() => filterAssets(all, q, group, kind, state), [all, q, group, kind, state]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 34,
    overscan: 12,
  });
  const selectionError = data?.assetNodes.__typename === "InvalidRequestError" ? data.assetNodes.message : null;
  return (
    <div className="page fill">
      <div className="page-head">
        <div>
          <h1>Assets</h1>
          <div className="sub">
            {data ? `${rows.length.toLocaleString()} of ${all.length.toLocaleString()} assets` : "Loading the catalog…"}
          </div>
        </div>
        <Link to={selection ? `/lineage?select=${encodeURIComponent(selection)}` : "/lineage"}>View as lineage graph →</Link>
      </div>
      <div className="row">
        <input className="search" placeholder="Filter by key or description" value={q} onChange={(e) => set("q", e.target.value)} aria-label="Filter assets" />
        <input
          className="search mono"
          placeholder="Selection, e.g. group:raw+ or kind:python"
          defaultValue={selection}
          onKeyDown={(e) => e.key === "Enter" && set("select", (e.target as HTMLInputElement).value)}
          aria-label="Asset selection"
        />
        <select value={group} onChange={(e) => set("group", e.target.value)} aria-label="Group">
          <option value="">All groups</option>
          {groups.map((g) => (
            <option key={g}>{g}</option>
          ))}
        </select>
        <select value={kind} onChange={(e) => set("kind", e.target.value)} aria-label="Kind">
          <option value="">All kinds</option>
          {kinds.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <select value={state} onChange={(e) => set("state", e.target.value)} aria-label="State">
          <option value="">Any state</option>
          {Object.entries(STATE_LABEL).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </div>
      {error && <ErrorView error={error} />}
      {selectionError && <ErrorView error={selectionError} title="Selection" />}
      <div className="panel flush" style={{ flex: 1, display: "flex", flexDirection: "column", minHeight: 300 }}>
        <div className="vhead" style={{ gridTemplateColumns: COLUMNS }}>
          <span>Asset</span>
          <span>Group</span>
          <span>Kinds</span>
          <span>Status</span>
          <span>Materialized</span>
          <span>Checks</span>
        </div>
        {isLoading && <Loading what="assets" />}
        <div ref={scroller} className="vlist" style={{ flex: 1 }} data-testid="catalog-list">
          <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
            {virtual.getVirtualItems().map((item) => {
              const a = rows[item.index];
              const st = assetState(a, runStatus);
              const failing = failingChecks(a);
              const ts = a.latestMaterialization ? Number(a.latestMaterialization.timestamp) / 1000 : null;
              return (
                <div
                  key={item.key}
                  className="vrow"
                  data-asset={keyString(a.assetKey)}
                  style={{ top: item.start, height: item.size, gridTemplateColumns: COLUMNS }}
                >
                  <div className="ellipsis">
                    <Link to={assetUrl(a.assetKey)}>{keyString(a.assetKey)}</Link>
                    {a.description && <span className="muted small"> · {a.description}</span>}
                  </div>
                  <span className="ellipsis">{a.groupName}</span>
                  <span className="ellipsis">
                    {a.kinds.map((k) => (
                      <span key={k} className="tag" style={{ marginRight: 3 }}>
                        {k}
                      </span>
                    ))}
                  </span>
                  <span>
                    <StatusPill status={st === "NEVER" ? null : st} label={STATE_LABEL[st]} />{" "}
                    <StaleBadge status={a.staleStatus} />
                  </span>
                  <span className="muted">{formatAgo(ts)}</span>
                  <span>
                    {a.assetChecks.length === 0 ? (
                      <span className="muted">—</span>
                    ) : failing.length ? (
                      <StatusPill status="FAILED" label={`${failing.length}/${a.assetChecks.length} failing`} />
                    ) : (
                      <span className="muted">{a.assetChecks.length} checks</span>
                    )}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
