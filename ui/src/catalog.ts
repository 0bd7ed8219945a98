// The asset catalog: one query shared by the overview, the catalog and the lineage graph.
import { useGql, type AssetKey } from "./api";

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
}

export const CATALOG = `query Catalog($filter: AssetFilter) {
  assetNodes(filter: $filter, limit: 10000) {
    __typename
    ... on AssetNodeConnection {
      totalCount hasMore
      nodes {
        assetKey { path } locationName groupName kinds owners description isPartitioned isMaterializable
        dependencyKeys { path }
        latestMaterialization { timestamp runId }
        latestMaterializationFailed lastRunId
        assetChecks { name latestExecution { status } }
      }
    }
    ... on Error { message }
  }
}`;

export interface CatalogData {
  assetNodes: { __typename: string; nodes?: CatalogAsset[]; totalCount?: number; message?: string };
}

export function useCatalog(selection?: string | null, refetchInterval?: number) {
  return useGql<CatalogData>(
    ["catalog", selection ?? ""],
    CATALOG,
    { filter: selection ? { selection } : null },
    { refetchInterval, placeholderData: (p) => p },
  );
}

export type AssetState = "MATERIALIZED" | "FAILED" | "MATERIALIZING" | "NEVER";

export function assetState(a: CatalogAsset, runStatus?: Map<string, string>): AssetState {
  const running = a.lastRunId && runStatus?.get(a.lastRunId);
  if (running === "STARTED" || running === "STARTING" || running === "QUEUED") return "MATERIALIZING";
  if (a.latestMaterializationFailed) return "FAILED";
  if (a.latestMaterialization) return "MATERIALIZED";
  return "NEVER";
}

export function failingChecks(a: CatalogAsset): string[] {
  return a.assetChecks.filter((c) => c.latestExecution?.status === "FAILED").map((c) => c.name);
}
