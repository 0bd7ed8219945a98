import { describe, expect, it } from "vitest";
import type { CatalogAsset } from "../catalog";
import { assetState, rowsToAssets } from "../catalog";
import { searchItems } from "../components/CommandPalette";
import { pathRange, yamlDiagnostics } from "../components/ConfigEditor";
import { formatDuration, statusClass } from "../components/Status";
import { dagreLayout, layeredLayout, ranks } from "../graph/layout";
import { collapseGroups, shapeKey, type GraphModel } from "../graph/model";
import { markdownImages, metadataText, numericSeries, observedVersion } from "../pages/AssetPage";
import { filterAssets } from "../pages/Catalog";
import { configProblems } from "../pages/Launchpad";
import { lineageModel } from "../pages/Lineage";
import { filterEvents } from "../pages/RunPage";
import { isUnchangedSkip } from "../components/StaleBadge";
import { runsFilter } from "../pages/Runs";

function asset(key: string, group: string, deps: string[] = [], extra: Partial<CatalogAsset> = {}): CatalogAsset {
  return {
    assetKey: { path: key.split("/") },
    locationName: "loc",
    groupName: group,
    kinds: ["python"],
    owners: [],
    description: null,
    isPartitioned: false,
    isMaterializable: true,
    dependencyKeys: deps.map((d) => ({ path: d.split("/") })),
    latestMaterialization: null,
    latestMaterializationFailed: false,
    lastRunId: null,
    assetChecks: [],
    staleStatus: null,
    ...extra,
  };
}

describe("status", () => {
  it("colours run, asset and check states", () => {
    expect(statusClass("SUCCESS")).toBe("s-ok");
    expect(statusClass("FAILED")).toBe("s-fail");
    expect(statusClass("STARTED")).toBe("s-run");
    expect(statusClass("QUEUED")).toBe("s-warn");
    expect(statusClass(null)).toBe("s-idle");
  });
  it("formats durations", () => {
    expect(formatDuration(10, 10.25)).toBe("250 ms");
    expect(formatDuration(0, 90)).toBe("1m 30s");
    expect(formatDuration(null, 5)).toBe("—");
  });
});

describe("catalog", () => {
  const assets = [
    asset("raw/orders", "raw"),
    asset("orders", "clean", ["raw/orders"], { latestMaterialization: { timestamp: "1", runId: "r1" } }),
    asset("report", "reports", ["orders"], { latestMaterializationFailed: true, lastRunId: "r2" }),
  ];
  it("filters by text, group, kind and state", () => {
    expect(filterAssets(assets, "ORD", "", "", "").map((a) => a.assetKey.path.join("/"))).toEqual(["raw/orders", "orders"]);
    expect(filterAssets(assets, "", "clean", "", "")).toHaveLength(1);
    expect(filterAssets(assets, "", "", "sql", "")).toHaveLength(0);
    expect(filterAssets(assets, "", "", "", "FAILED").map((a) => a.groupName)).toEqual(["reports"]);
    expect(filterAssets(assets, "", "", "", "NEVER")).toHaveLength(1);
  });
  it("shows an asset whose run is in progress as materializing", () => {
    expect(assetState(assets[2], new Map([["r2", "STARTED"]]))).toBe("MATERIALIZING");
    expect(assetState(assets[2])).toBe("FAILED");
  });
  it("makes the lineage graph from dependency keys, within the selection only", () => {
    const model = lineageModel(assets.slice(1), new Map());
    expect(model.nodes.map((n) => [n.id, n.status])).toEqual([["orders", "ok"], ["report", "fail"]]);
    expect(model.edges).toEqual([{ source: "orders", target: "report" }]);
  });
});

describe("layout", () => {
  const chain: GraphModel = {
    nodes: ["a", "b", "c", "d"].map((id) => ({ id, label: id, status: "idle" as const })),
    edges: [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
      { source: "a", target: "d" },
    ],
  };
  const request = { nodes: chain.nodes.map((n) => ({ id: n.id, width: 180, height: 40 })), edges: chain.edges };
  it("ranks by longest path", () => {
    expect(Object.fromEntries(ranks(["a", "b", "c", "d"], chain.edges))).toEqual({ a: 0, b: 1, c: 2, d: 1 });
  });
  it("lays out left to right without overlaps (dagre and the layered layout)", () => {
    for (const result of [dagreLayout(request), layeredLayout(request)]) {
      const p = result.positions;
      expect(p.a.x).toBeLessThan(p.b.x);
      expect(p.b.x).toBeLessThan(p.c.x);
      const boxes = Object.values(p);
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          expect(Math.abs(boxes[i].x - boxes[j].x) >= 180 || Math.abs(boxes[i].y - boxes[j].y) >= 40).toBe(true);
    }
  });
  it("lays out 10,000 nodes in seconds at most", () => {
    const n = 10_000;
    const nodes = Array.from({ length: n }, (_, i) => ({ id: `a${i}`, width: 180, height: 40, group: `g${i % 10}` }));
    const edges = Array.from({ length: n - 1 }, (_, i) => ({ source: `a${Math.floor((i + 1) / 2)}`, target: `a${i + 1}` }));
    const t0 = performance.now();
    const result = layeredLayout({ nodes, edges });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(Object.keys(result.positions)).toHaveLength(n);
    // Wide ranks wrap into columns: the layout is about as wide as tall, not a 5,000-node stripe.
    expect(result.width / result.height).toBeGreaterThan(0.5);
    expect(result.width / result.height).toBeLessThan(3);
    const seen = new Set(Object.values(result.positions).map((p) => `${p.x},${p.y}`));
    expect(seen.size).toBe(n);
  });
  it("collapses groups into one node and merges their edges", () => {
    const model: GraphModel = {
      nodes: [
        { id: "a", label: "a", group: "raw", status: "ok" },
        { id: "b", label: "b", group: "raw", status: "fail" },
        { id: "c", label: "c", group: "out", status: "idle" },
      ],
      edges: [
        { source: "a", target: "c" },
        { source: "b", target: "c" },
        { source: "a", target: "b" },
      ],
    };
    const collapsed = collapseGroups(model, new Set(["raw"]));
    expect(collapsed.nodes.map((n) => [n.id, n.status, n.count])).toEqual([["group:raw", "fail", 2], ["c", "idle", undefined]]);
    expect(collapsed.edges).toEqual([{ source: "group:raw", target: "c" }]);
    expect(shapeKey(collapsed)).not.toEqual(shapeKey(model));
  });
});

describe("launchpad and run page", () => {
  it("reports YAML errors before asking the server, then the server's errors with their path", () => {
    expect(configProblems("ops: [unclosed", undefined)[0]).toMatch(/^YAML/);
    expect(yamlDiagnostics("a: [").length).toBeGreaterThan(0);
    expect(yamlDiagnostics("a: 1\n")).toEqual([]);
    const text = "ops:\n  numbers:\n    config:\n      rows: many\n";
    const [from, to] = pathRange(text, ["ops", "numbers", "config", "rows"]);
    expect(text.slice(from, to)).toBe("rows: many");
    const [f2, t2] = pathRange(text, ["ops", "numbers", "config", "missing"]);
    expect(text.slice(f2, t2)).toBe("config");
    const invalid = { __typename: "RunConfigValidationInvalid", errors: [{ message: "not an Int", path: ["ops", "numbers", "config", "rows"], reason: "RUNTIME_TYPE_MISMATCH" }] };
    expect(configProblems("ops: {}", invalid)).toEqual(["ops.numbers.config.rows: not an Int"]);
    expect(configProblems("ops: {}", { __typename: "PipelineConfigValidationValid" })).toEqual([]);
  });
  it("filters runs from the URL", () => {
    const f = runsFilter(new URLSearchParams("status=FAILURE,CANCELED&job=greet&tag=team%3Ddata%3Dx&since=1h"), 10_000);
    expect(f).toEqual({ statuses: ["FAILURE", "CANCELED"], jobName: "greet", tags: [{ key: "team", value: "data=x" }], createdAfter: 6400 });
  });
  it("filters events by step, type, level and text", () => {
    const e = (stepKey: string | null, eventType: string | null, level: string, message: string) => ({ cursor: "1", timestamp: "0", stepKey, eventType, level, message, assetKey: null, partition: null });
    const events = [e(null, "RUN_START", "DEBUG", "start"), e("a", "STEP_START", "DEBUG", "a starts"), e("a", null, "INFO", "hello"), e("b", "STEP_FAILURE", "ERROR", "boom")];
    expect(filterEvents(events, "a", "", "", "")).toHaveLength(2);
    expect(filterEvents(events, "", "LOG", "", "")[0].message).toBe("hello");
    expect(filterEvents(events, "", "", "ERROR", "")[0].stepKey).toBe("b");
    expect(filterEvents(events, "", "", "", "BOOM")).toHaveLength(1);
  });
  it("plots numeric metadata that has two or more points", () => {
    const m = (t: number, rows: number) => ({ runId: "r", timestamp: String(t * 1000), partition: null, codeVersion: null, metadataEntries: [{ label: "rows", type: "int", value: { type: "int", value: rows }, text: String(rows) }, { label: "path", type: "path", value: { type: "path", fspath: "/x" }, text: "{}" }] });
    expect([...numericSeries([m(2, 5), m(1, 3)])]).toEqual([["rows", [[2, 5], [1, 3]]]]);
    expect(numericSeries([m(1, 3)]).size).toBe(0);
    expect(metadataText({ label: "path", type: "path", value: { type: "path", fspath: "/data/x" }, text: "{}" })).toBe("/data/x");
  });
  it("reads an observation's data version from its dagster/data_version tag", () => {
    expect(observedVersion({ tags: [{ key: "t", value: "u" }, { key: "dagster/data_version", value: "v7" }] })).toBe("v7");
    expect(observedVersion({ tags: [] })).toBeNull();
  });
  it("searches assets, jobs (not hidden ones), runs and pages", () => {
    const items = searchItems(
      {
        assetNodes: { __typename: "AssetNodeConnection", nodes: [{ assetKey: { path: ["orders"] }, groupName: "clean" }] },
        repositoriesOrError: { nodes: [{ locationName: "loc", jobs: [{ name: "__ASSET_JOB", isAssetJob: true }, { name: "orders_job", isAssetJob: true }] }] },
        runsOrError: { results: [{ runId: "abcdef12-0000", jobName: "orders_job", status: "SUCCESS" }] },
      },
      "order",
    );
    expect(items.map((i) => [i.kind, i.to])).toEqual([
      ["asset", "/assets/orders"],
      ["job", "/jobs/loc/orders_job"],
      ["run", "/runs/abcdef12-0000"],
    ]);
  });
});

describe("rowsToAssets", () => {
  it("turns assetCatalog rows into catalog assets by column name", () => {
    const columns = [
      "key", "groupName", "kinds", "owners", "locationName", "isPartitioned", "isMaterializable", "description",
      "dependencyKeys", "lastMaterializationTimestamp", "lastRunId", "lastMaterializationFailed", "staleStatus",
      "checks",
    ];
    const rows = [
      [["raw", "orders"], "raw", ["python"], ["team:data"], "loc", true, true, "Orders.", [["raw", "src"]],
        1700000000.5, "r1", false, "STALE", [["not_null", "FAILED"], ["fresh", null]]],
      [["never"], "g", [], [], "loc", false, false, null, [], null, null, false, "MISSING", []],
    ];
    const [orders, never] = rowsToAssets(columns, rows);
    expect(orders.staleStatus).toBe("STALE");
    expect(never.staleStatus).toBe("MISSING");
    const without = columns.filter((c) => c !== "staleStatus");
    expect(rowsToAssets(without, [rows[0].filter((_, i) => i !== columns.indexOf("staleStatus"))])[0].staleStatus).toBeNull();
    expect(orders.assetKey.path).toEqual(["raw", "orders"]);
    expect(orders.dependencyKeys).toEqual([{ path: ["raw", "src"] }]);
    expect(orders.latestMaterialization).toEqual({ timestamp: "1700000000500", runId: "r1" });
    expect(orders.assetChecks).toEqual([
      { name: "not_null", latestExecution: { status: "FAILED" } },
      { name: "fresh", latestExecution: null },
    ]);
    expect(assetState(orders)).toBe("MATERIALIZED");
    expect(never.latestMaterialization).toBeNull();
    expect(assetState(never)).toBe("NEVER");
  });
});

describe("isUnchangedSkip", () => {
  it("tells the steps skip_unchanged skipped from other skips", () => {
    const data = { metadata: { skip_unchanged_reason: { type: "text", value: "its code version ..." } } };
    expect(isUnchangedSkip({ eventType: "STEP_SKIPPED", data })).toBe(true);
    expect(isUnchangedSkip({ eventType: "STEP_SKIPPED", data: null })).toBe(false);
    expect(isUnchangedSkip({ eventType: "STEP_SUCCESS", data })).toBe(false);
  });
});

describe("markdownImages", () => {
  it("finds the data-URL images of a Markdown entry and shows the entry as an image", () => {
    const e = { label: "plot", type: "md", text: "", value: { type: "md", md_str: "![Revenue](data:image/png;base64,iVBORw0K==)" } };
    expect(markdownImages(e)).toEqual([{ alt: "Revenue", src: "data:image/png;base64,iVBORw0K==" }]);
    expect(metadataText(e)).toBe("(image)");
    const plain = { label: "notes", type: "md", text: "# hi", value: { type: "md", md_str: "# hi ![x](http://example.com/a.png)" } };
    expect(markdownImages(plain)).toEqual([]);
  });
});
