/** An asset's staleness (the GraphQL `staleStatus`): a small "stale" badge, nothing when fresh or missing. */
export function StaleBadge({ status, title }: { status: string | null | undefined; title?: string }) {
  if (status !== "STALE") return null;
  return (
    <span className="pill s-warn" data-stale="STALE" title={title ?? "Its code or its upstream data changed since it was materialized."}>
      stale
    </span>
  );
}

export interface StaleCause {
  reason: string;
  category: string;
  partitionKey: string | null;
  dependency: { path: string[] } | null;
}

/** Whether a run event is a step skipped by `skip_unchanged` (its metadata carries the reason). */
export function isUnchangedSkip(e: { eventType: string | null; data?: unknown }): boolean {
  return e.eventType === "STEP_SKIPPED" && JSON.stringify(e.data ?? null).includes("skip_unchanged_reason");
}
