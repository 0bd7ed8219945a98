// The asset catalog: one query shared by the overview, the catalog and the lineage graph.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";
import { gql, queryClient, useGql, type AssetKey } from "./api";

export interface CatalogAsset {
  assetKey: AssetKey;
  locationName: string;
  groupName: string;
  kinds: string[];
  owners: string[];
  description: string | null;
  isPartitioned: boolean;
  isMaterializable: boolean;
  dependencyKeys: AssetKey[];
  latestMaterialization: { timestamp: string; runId: string } | null;
  latestMaterializationFailed: boolean;
  lastRunId: string | null;
  assetChecks: { name: string; latestExecution: { status: string } | null }[];
  /** FRESH, STALE or MISSING (the GraphQL staleStatus); null from servers without it. */
  staleStatus: string | null;
}

// `assetCatalog` sends each asset as one row of plain values (in `columns` order): ten times cheaper for
// the server than the typed `assetNodes` at 10,000 assets. Rows become CatalogAsset objects here.
export const CATALOG = `query Catalog($filter: AssetFilter) {
  assetCatalog(filter: $filter, limit: 10000) {
    __typename
    ... on AssetCatalogPage { columns rows totalCount hasMore }
    ... on Error { message }
  }
}`;

interface CatalogPage {
  assetCatalog: { __typename: string; columns?: string[]; rows?: unknown[][]; totalCount?: number; message?: string };
}

export interface CatalogData {
  assetNodes: { __typename: string; nodes?: CatalogAsset[]; totalCount?: number; message?: string };
}

export function rowsToAssets(columns: string[], rows: unknown[][]): CatalogAsset[] {
  const at = new Map(columns.map((c, i) => [c, i]));
  const col = (row: unknown[], name: string): unknown => row[at.get(name) ?? -1];
  return rows.map((row) => {
    const ts = col(row, "lastMaterializationTimestamp") as number | null;
    const runId = col(row, "lastRunId") as string | null;
    const checks = (col(row, "checks") as [string, string | null][] | undefined) ?? [];
    return {
      assetKey: { path: col(row, "key") as string[] },
      locationName: col(row, "locationName") as string,
      groupName: col(row, "groupName") as string,
      kinds: (col(row, "kinds") as string[] | undefined) ?? [],
      owners: (col(row, "owners") as string[] | undefined) ?? [],
      description: (col(row, "description") as string | null | undefined) ?? null,
      isPartitioned: Boolean(col(row, "isPartitioned")),
      isMaterializable: Boolean(col(row, "isMaterializable")),
      dependencyKeys: ((col(row, "dependencyKeys") as string[][] | undefined) ?? []).map((path) => ({ path })),
      latestMaterialization: ts == null ? null : { timestamp: String(Math.round(ts * 1000)), runId: runId ?? "" },
      latestMaterializationFailed: Boolean(col(row, "lastMaterializationFailed")),
      lastRunId: runId,
      assetChecks: checks.map(([name, status]) => ({ name, latestExecution: status ? { status } : null })),
      staleStatus: (col(row, "staleStatus") as string | null | undefined) ?? null,
    };
  });
}

export async function fetchCatalog(selection?: string | null): Promise<CatalogData> {
  const data = await gql<CatalogPage>(CATALOG, { filter: selection ? { selection } : null });
  const page = data.assetCatalog;
  if (page.__typename !== "AssetCatalogPage") {
    return { assetNodes: { __typename: page.__typename, message: page.message } };
  }
  const nodes = rowsToAssets(page.columns ?? [], page.rows ?? []);
  return { assetNodes: { __typename: "AssetNodeConnection", nodes, totalCount: page.totalCount } };
}

/** Re-read the catalog every few seconds while it is small; a large one (a second or more to
 * answer) every 30 s — live states come from the active runs meanwhile (useActiveRuns). */
export function catalogInterval(data: CatalogData | undefined, small: number): number {
  return (data?.assetNodes.nodes?.length ?? 0) > 2000 ? 30_000 : small;
}

export function useCatalog(selection?: string | null, refetchInterval = 5000) {
  return useQuery<CatalogData, Error>({
    queryKey: ["catalog", selection ?? ""],
    queryFn: () => fetchCatalog(selection),
    refetchInterval: (q) => catalogInterval(q.state.data, refetchInterval),
    placeholderData: (p) => p,
  });
}

export interface ActiveRuns {
  /** Run id → status, for the runs queued or in progress. */
  status: Map<string, string>;
  /** The assets those runs materialize (keys as strings). */
  keys: Set<string>;
}

const ACTIVE = `{ runsOrError(filter: {statuses: [QUEUED, STARTING, STARTED]}, limit: 200) {
  ... on Runs { results { runId status assetSelection { path } } } } }`;

/** The runs in progress, every 2 s; when one ends, the catalog is read again (its new states). */
export function useActiveRuns(): ActiveRuns {
  const { data } = useGql<{ runsOrError: { results?: { runId: string; status: string; assetSelection: AssetKey[] | null }[] } }>(
    ["active-runs"],
    ACTIVE,
    undefined,
    { refetchInterval: 2000 },
  );
  const ids = (data?.runsOrError.results ?? []).map((r) => r.runId).join(",");
  const previous = useRef<string | null>(null);
  useEffect(() => {
    if (previous.current !== null && previous.current !== ids) {
      const now = new Set(ids.split(","));
      if (previous.current.split(",").some((id) => id && !now.has(id))) void queryClient.invalidateQueries({ queryKey: ["catalog"] });
    }
    previous.current = ids;
  }, [ids]);
  return useMemo(() => {
    const results = data?.runsOrError.results ?? [];
    return {
      status: new Map(results.map((r) => [r.runId, r.status])),
      keys: new Set(results.flatMap((r) => (r.assetSelection ?? []).map((k) => k.path.join("/")))),
    };
  }, [data]);
}

export type AssetState = "MATERIALIZED" | "FAILED" | "MATERIALIZING" | "NEVER";

export function assetState(a: CatalogAsset, active?: ActiveRuns | Map<string, string>): AssetState {
  const status = active instanceof Map ? active : active?.status;
  const running = a.lastRunId && status?.get(a.lastRunId);
  if (running === "STARTED" || running === "STARTING" || running === "QUEUED") return "MATERIALIZING";
  if (active && !(active instanceof Map) && active.keys.has(a.assetKey.path.join("/"))) return "MATERIALIZING";
  if (a.latestMaterializationFailed) return "FAILED";
  if (a.latestMaterialization) return "MATERIALIZED";
  return "NEVER";
}

export function failingChecks(a: CatalogAsset): string[] {
  return a.assetChecks.filter((c) => c.latestExecution?.status === "FAILED").map((c) => c.name);
}
