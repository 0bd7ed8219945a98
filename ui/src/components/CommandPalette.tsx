import { useEffect, useMemo, useState } from "react";
import { useNavigate } from "react-router-dom";
import { assetUrl, keyString, useGql, type AssetKey } from "../api";

interface SearchData {
  assetNodes: { __typename: string; nodes?: { assetKey: AssetKey; groupName: string }[] };
  repositoriesOrError: { nodes?: { locationName: string; jobs: { name: string; isAssetJob: boolean }[] }[] };
  runsOrError: { results?: { runId: string; jobName: string; status: string }[] };
}

const SEARCH = `query Search($q: String) {
  assetNodes(filter: { keySubstring: $q }, limit: 20) {
    __typename ... on AssetNodeConnection { nodes { assetKey { path } groupName } }
  }
  repositoriesOrError { ... on RepositoryConnection { nodes { locationName jobs { name isAssetJob } } } }
  runsOrError(limit: 30) { ... on Runs { results { runId jobName status } } }
}`;

export interface SearchItem {
  kind: "asset" | "job" | "run" | "page";
  label: string;
  detail: string;
  to: string;
}

const PAGES: SearchItem[] = [
  "Overview:/",
  "Assets:/assets",
  "Lineage:/lineage",
  "Jobs:/jobs",
  "Runs:/runs",
  "Schedules:/schedules",
  "Sensors:/sensors",
  "Backfills:/backfills",
  "Automation:/automation",
  "Deployment:/deployment",
].map((s) => {
  const [label, to] = s.split(":");
  return { kind: "page", label, detail: "", to };
});

export function searchItems(data: SearchData | undefined, q: string): SearchItem[] {
  const needle = q.trim().toLowerCase();
  const match = (s: string) => !needle || s.toLowerCase().includes(needle);
  const items: SearchItem[] = [];
  for (const n of data?.assetNodes.nodes ?? []) {
    // The server filters by key; the results of an earlier, shorter query may still be showing.
    if (!match(keyString(n.assetKey))) continue;
    items.push({ kind: "asset", label: keyString(n.assetKey), detail: n.groupName, to: assetUrl(n.assetKey) });
  }
  for (const repo of data?.repositoriesOrError.nodes ?? []) {
    for (const job of repo.jobs) {
      if (job.isAssetJob && job.name.startsWith("__")) continue;
      if (match(job.name)) {
        items.push({
          kind: "job",
          label: job.name,
          detail: repo.locationName,
          to: `/jobs/${encodeURIComponent(repo.locationName)}/${encodeURIComponent(job.name)}`,
        });
      }
    }
  }
  for (const run of data?.runsOrError.results ?? []) {
    if (match(run.runId) || match(run.jobName)) {
      items.push({ kind: "run", label: run.runId.slice(0, 8), detail: `${run.jobName} · ${run.status}`, to: `/runs/${run.runId}` });
    }
  }
  items.push(...PAGES.filter((p) => needle && match(p.label)));
  return items.slice(0, 40);
}

export function CommandPalette({ onClose }: { onClose: () => void }) {
  const [q, setQ] = useState("");
  const [sel, setSel] = useState(0);
  const navigate = useNavigate();
  const { data } = useGql<SearchData>(["search", q], SEARCH, { q: q.trim() || null }, { placeholderData: (p) => p });
  const items = useMemo(() => searchItems(data, q), [data, q]);
  useEffect(() => setSel(0), [q]);
  const go = (item: SearchItem | undefined) => {
    if (!item) return;
    navigate(item.to);
    onClose();
  };
  return (
    <div className="palette-back" onMouseDown={onClose}>
      <div className="palette" role="dialog" aria-label="Search" onMouseDown={(e) => e.stopPropagation()}>
        <input
          autoFocus
          placeholder="Search assets, jobs and runs…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") onClose();
            else if (e.key === "ArrowDown") setSel((s) => Math.min(s + 1, items.length - 1));
            else if (e.key === "ArrowUp") setSel((s) => Math.max(s - 1, 0));
            else if (e.key === "Enter") go(items[sel]);
          }}
        />
        <ul>
          {items.map((item, i) => (
            <li key={item.kind + item.to} className={i === sel ? "sel" : ""} onMouseEnter={() => setSel(i)} onClick={() => go(item)}>
              <span className="kind">{item.kind}</span>
              <span className="ellipsis">{item.label}</span>
              <span className="spacer" />
              <span className="muted small">{item.detail}</span>
            </li>
          ))}
          {items.length === 0 && <li className="muted">Nothing matches.</li>}
        </ul>
      </div>
    </div>
  );
}
