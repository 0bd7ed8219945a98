export interface PartitionRange {
  startKey: string;
  endKey: string;
  count: number;
  status: "MATERIALIZED" | "MATERIALIZING" | "FAILED" | "MISSING";
}

const COLOR = { MATERIALIZED: "var(--ok)", FAILED: "var(--fail)", MATERIALIZING: "var(--run)", MISSING: "var(--idle-bg)" };

/** The partition health bar: one segment per range (at least 1px wide), 100,000 partitions in a few ranges. */
export function PartitionBar({ ranges, total }: { ranges: PartitionRange[]; total: number }) {
  const counts = { MATERIALIZED: 0, FAILED: 0, MATERIALIZING: 0, MISSING: 0 };
  for (const r of ranges) counts[r.status] += r.count;
  return (
    <div>
      <div className="pbar" data-testid="partition-bar" role="img" aria-label={`${counts.MATERIALIZED} of ${total} partitions materialized`}>
        {ranges.map((r) => (
          <div
            key={r.startKey + r.status}
            title={`${r.startKey === r.endKey ? r.startKey : `${r.startKey} … ${r.endKey}`}: ${r.count.toLocaleString()} ${r.status.toLowerCase()}`}
            style={{ flexGrow: r.count, flexBasis: 0, minWidth: 1, background: COLOR[r.status] }}
          />
        ))}
      </div>
      <div className="legend" style={{ marginTop: 6 }}>
        {(Object.keys(counts) as (keyof typeof counts)[]).map((s) => (
          <span key={s}>
            <i style={{ background: COLOR[s], border: "1px solid var(--border)" }} />
            {counts[s].toLocaleString()} {s.toLowerCase()}
          </span>
        ))}
        <span>of {total.toLocaleString()}</span>
      </div>
    </div>
  );
}
