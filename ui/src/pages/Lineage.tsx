import { useCallback, useEffect, useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { assetUrl, keyString, type AssetKey } from "../api";
import { assetState, useActiveRuns, useCatalog, type ActiveRuns, type CatalogAsset } from "../catalog";
import { MaterializeButton } from "../components/MaterializeButton";
import { ErrorView } from "../components/Status";
import { GraphView, preloadGraph } from "../graph/GraphView";
import { collapseGroups, type GraphModel, type GraphNode, type NodeStatus } from "../graph/model";

const STATUS: Record<string, NodeStatus> = { MATERIALIZED: "ok", FAILED: "fail", MATERIALIZING: "run", NEVER: "idle" };

export function lineageModel(assets: CatalogAsset[], runStatus: ActiveRuns | Map<string, string>): GraphModel {
  const ids = new Set(assets.map((a) => keyString(a.assetKey)));
  const nodes: GraphNode[] = assets.map((a) => ({
    id: keyString(a.assetKey),
    label: keyString(a.assetKey),
    sub: `${a.groupName}${a.kinds.length ? " · " + a.kinds.join(", ") : ""}`,
    group: a.groupName,
    status: STATUS[assetState(a, runStatus)],
  }));
  const edges = assets.flatMap((a) =>
    a.dependencyKeys.filter((d) => ids.has(keyString(d))).map((d) => ({ source: keyString(d), target: keyString(a.assetKey) })),
  );
  return { nodes, edges };
}

export default function Lineage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const selection = params.get("select") ?? "";
  const q = params.get("q") ?? "";
  const collapsed = useMemo(() => new Set((params.get("collapse") ?? "").split(",").filter(Boolean)), [params]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [focus, setFocus] = useState<string | null>(null);
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  // The renderer's code and the layout worker load while the catalog query runs.
  useEffect(preloadGraph, []);
  const { data, error } = useCatalog(selection || null, 4000);
  const runStatus = useActiveRuns();
  const assets = useMemo(() => data?.assetNodes.nodes ?? [], [data]);
  const byId = useMemo(() => new Map(assets.map((a) => [keyString(a.assetKey), a])), [assets]);
  const groups = useMemo(() => [...new Set(assets.map((a) => a.groupName))].sort(), [assets]);
  const model = useMemo(() => collapseGroups(lineageModel(assets, runStatus), collapsed), [assets, runStatus, collapsed]);
  const needle = q.trim().toLowerCase();
  const match = useCallback((n: GraphNode) => !needle || n.label.toLowerCase().includes(needle), [needle]);
  const onSelect = useCallback((id: string, additive: boolean) => {
    if (id.startsWith("group:")) return;
    setSelected((prev) => {
      const next = new Set(additive ? prev : []);
      if (prev.has(id) && additive) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const onOpen = useCallback(
    (id: string) => {
      if (id.startsWith("group:")) {
        const g = id.slice(6);
        set("collapse", [...collapsed].filter((c) => c !== g).join(","));
      } else navigate(assetUrl(id.split("/")));
    },
    [collapsed, navigate], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const chosen = [...selected].map((id) => byId.get(id)).filter((a): a is CatalogAsset => !!a);
  const keys: AssetKey[] = chosen.map((a) => a.assetKey);
  const selectionError = data?.assetNodes.__typename === "InvalidRequestError" ? data.assetNodes.message : null;
  const firstMatch = () => model.nodes.find((n) => match(n))?.id ?? null;
  return (
    <div className="page fill">
      <div className="page-head">
        <div>
          <h1>Lineage</h1>
          <div className="sub">
            {data ? `${model.nodes.length.toLocaleString()} nodes, ${model.edges.length.toLocaleString()} edges` : "Loading…"} · click to select (Shift: add), double-click to open
          </div>
        </div>
        <Link to={selection ? `/assets?select=${encodeURIComponent(selection)}` : "/assets"}>As a list →</Link>
      </div>
      {error && <ErrorView error={error} />}
      {selectionError && <ErrorView error={selectionError} title="Selection" />}
      <div className="graph-wrap">
        <div className="graph-tools">
          <input
            className="mono"
            style={{ width: 300 }}
            placeholder="Selection: *, group:raw+, +key:orders"
            defaultValue={selection}
            onKeyDown={(e) => e.key === "Enter" && set("select", (e.target as HTMLInputElement).value)}
            aria-label="Asset selection"
          />
          <input
            placeholder="Find an asset (Enter: go to it)"
            defaultValue={q}
            onChange={(e) => set("q", e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && setFocus(firstMatch())}
            aria-label="Find in graph"
          />
          <details className="panel" style={{ padding: "4px 10px" }}>
            <summary>Groups ({groups.length})</summary>
            <div style={{ maxHeight: 260, overflow: "auto", marginTop: 6 }}>
              {groups.map((g) => (
                <label key={g} className="row" style={{ gap: 6 }}>
                  <input
                    type="checkbox"
                    checked={!collapsed.has(g)}
                    onChange={(e) => {
                      const next = new Set(collapsed);
                      if (e.target.checked) next.delete(g);
                      else next.add(g);
                      set("collapse", [...next].join(","));
                    }}
                  />
                  {g}
                </label>
              ))}
            </div>
          </details>
        </div>
        {chosen.length > 0 && (
          <div className="graph-side" data-testid="graph-selection">
            <h2>{chosen.length} selected</h2>
            <ul style={{ margin: "0 0 10px", paddingLeft: 16, maxHeight: 200, overflow: "auto" }}>
              {chosen.map((a) => (
                <li key={keyString(a.assetKey)}>
                  <Link to={assetUrl(a.assetKey)}>{keyString(a.assetKey)}</Link>
                </li>
              ))}
            </ul>
            <MaterializeButton keys={keys} location={chosen[0].locationName} label={`Materialize ${chosen.length === 1 ? "" : chosen.length + " "}selected`} />
            <button style={{ marginTop: 8 }} onClick={() => setSelected(new Set())}>
              Clear
            </button>
          </div>
        )}
        {data && <GraphView model={model} selected={selected} match={match} focus={focus} onSelect={onSelect} onOpen={onOpen} />}
      </div>
    </div>
  );
}
