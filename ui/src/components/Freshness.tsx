import { StatusPill, formatTime } from "./Status";

export type FreshnessPolicyData =
  | { __typename: "TimeWindowFreshnessPolicy"; failWindowSeconds: number; warnWindowSeconds: number | null }
  | { __typename: "CronFreshnessPolicy"; deadlineCron: string; lowerBoundDeltaSeconds: number; timezone: string };

export interface FreshnessData {
  internalFreshnessPolicy: FreshnessPolicyData | null;
  freshnessPolicy: { maximumLagMinutes: number; cronSchedule: string | null; cronScheduleTimezone: string | null } | null;
  freshnessStatusInfo: { freshnessStatus: string; lastMaterializedTimestamp: number | null };
  freshnessCheck: {
    name: string;
    latestExecution: { status: string; timestamp: number; evaluation: { success: boolean; description: string | null } | null } | null;
  } | null;
}

export const FRESHNESS_FIELDS = `internalFreshnessPolicy { __typename
        ... on TimeWindowFreshnessPolicy { failWindowSeconds warnWindowSeconds }
        ... on CronFreshnessPolicy { deadlineCron lowerBoundDeltaSeconds timezone } }
      freshnessPolicy { maximumLagMinutes cronSchedule cronScheduleTimezone }
      freshnessStatusInfo { freshnessStatus lastMaterializedTimestamp }
      freshnessCheck { name latestExecution { status timestamp evaluation { success description } } }`;

/** 90 → "1m 30s", 7200 → "2h", 93600 → "1d 2h". */
export function duration(seconds: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [[86400, "d"], [3600, "h"], [60, "m"], [1, "s"]];
  let rest = Math.round(seconds);
  for (const [size, unit] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).join(" ") || "0s";
}

/** What a freshness policy asks, in words. */
export function describePolicy(policy: FreshnessPolicyData): string {
  if (policy.__typename === "TimeWindowFreshnessPolicy") {
    const warn = policy.warnWindowSeconds != null ? `; warn after ${duration(policy.warnWindowSeconds)}` : "";
    return `materialized at least every ${duration(policy.failWindowSeconds)}${warn}`;
  }
  return `by each tick of ${policy.deadlineCron} (${policy.timezone}), materialized within ${duration(policy.lowerBoundDeltaSeconds)} before it`;
}

export function FreshnessPanel({ data }: { data: FreshnessData }) {
  const { internalFreshnessPolicy: policy, freshnessPolicy: legacy, freshnessStatusInfo: info, freshnessCheck: check } = data;
  if (!policy && !legacy && !check) return null;
  const execution = check?.latestExecution ?? null;
  return (
    <div className="panel" data-testid="freshness">
      <h2>Freshness</h2>
      <dl className="kv">
        {policy && (
          <>
            <dt>Policy</dt>
            <dd>{describePolicy(policy)}</dd>
            <dt>State</dt>
            <dd>
              <StatusPill status={info.freshnessStatus} label={info.freshnessStatus.toLowerCase().replace(/_/g, " ")} />
              {info.lastMaterializedTimestamp != null && <span className="muted"> last materialized {formatTime(info.lastMaterializedTimestamp)}</span>}
            </dd>
          </>
        )}
        {legacy && (
          <>
            <dt>Legacy policy</dt>
            <dd>
              at most {legacy.maximumLagMinutes} minutes behind
              {legacy.cronSchedule ? ` at each tick of ${legacy.cronSchedule}${legacy.cronScheduleTimezone ? ` (${legacy.cronScheduleTimezone})` : ""}` : ""}
              <span className="muted"> (not evaluated)</span>
            </dd>
          </>
        )}
        {check && (
          <>
            <dt>Freshness check</dt>
            <dd>
              <StatusPill status={execution?.status ?? null} label={execution ? undefined : "not run"} />
              {execution?.evaluation?.description && <span className="muted"> {execution.evaluation.description}</span>}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}
