import { lazy, Suspense, useState } from "react";
import { useNavigate } from "react-router-dom";
import { parse } from "yaml";
import { LAUNCH_RESULT, useGqlMutation, type AssetKey, type LaunchResult } from "../api";
import { ErrorView } from "./Status";

const ConfigEditor = lazy(() => import("./ConfigEditor").then((m) => ({ default: m.ConfigEditor })));

const MATERIALIZE = `mutation Materialize($params: MaterializeParams!) {
  materializeAssets(params: $params) { ${LAUNCH_RESULT} }
}`;

export function launchErrorText(result: LaunchResult): string | null {
  if (result.__typename === "LaunchRunSuccess") return null;
  if (result.errors?.length) {
    return result.errors.map((e) => (e.path.length ? `${e.path.join(".")}: ${e.message}` : e.message)).join("\n");
  }
  return result.message ?? result.__typename;
}

/** "Materialize": one run for these assets, with a partition (picker) and run config when asked. */
export function MaterializeButton({
  keys,
  location,
  partitionKeys,
  label,
}: {
  keys: AssetKey[];
  location?: string;
  partitionKeys?: string[];
  label?: string;
}) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [config, setConfig] = useState("");
  const [partition, setPartition] = useState(partitionKeys?.[partitionKeys.length - 1] ?? "");
  const [error, setError] = useState<string | null>(null);
  const mutation = useGqlMutation<{ materializeAssets: LaunchResult }, { params: Record<string, unknown> }>(MATERIALIZE);
  const launch = async () => {
    setError(null);
    let runConfigData: unknown = null;
    if (config.trim()) {
      try {
        runConfigData = parse(config);
      } catch (e) {
        setError(`The config is not YAML: ${(e as Error).message}`);
        return;
      }
    }
    try {
      const data = await mutation.mutateAsync({
        params: {
          assetKeys: keys.map((k) => ({ path: k.path })),
          repositoryLocationName: location ?? null,
          partitionKey: partitionKeys?.length ? partition || null : null,
          runConfigData,
        },
      });
      const result = data.materializeAssets;
      const text = launchErrorText(result);
      if (text) setError(text);
      else if (result.run) navigate(`/runs/${result.run.runId}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const needsDialog = open || (partitionKeys?.length ?? 0) > 0;
  return (
    <div style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <div className="row">
        <button className="primary" onClick={launch} disabled={mutation.isPending || keys.length === 0} data-testid="materialize">
          {mutation.isPending ? "Launching…" : (label ?? (keys.length === 1 ? "Materialize" : `Materialize ${keys.length} assets`))}
        </button>
        {partitionKeys && partitionKeys.length > 0 && (
          <select value={partition} onChange={(e) => setPartition(e.target.value)} aria-label="Partition">
            {partitionKeys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        )}
        <button onClick={() => setOpen(!open)}>{open ? "Hide config" : "Config…"}</button>
      </div>
      {needsDialog && open && (
        <Suspense fallback={<div className="muted">Loading the editor…</div>}>
          <ConfigEditor value={config} onChange={setConfig} />
        </Suspense>
      )}
      {error && <ErrorView error={error} title="Not launched" />}
    </div>
  );
}
