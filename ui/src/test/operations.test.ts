import { describe, expect, it } from "vitest";
import { statusClass } from "../components/Status";
import { tickSummary, type Tick } from "../components/TickHistory";
import { scaffoldMissing } from "../pages/Launchpad";

const SCAFFOLD = "ops:\n  load:\n    config:\n      region:  # required (String)\n      limit: 100\n";

describe("scaffoldMissing", () => {
  it("gives the scaffold for an empty config", () => {
    expect(scaffoldMissing("", SCAFFOLD)).toBe(SCAFFOLD);
    expect(scaffoldMissing("  \n", SCAFFOLD)).toBe(SCAFFOLD);
  });
  it("adds only what the config lacks, keeping what was written", () => {
    const out = scaffoldMissing("ops:\n  load:\n    config:\n      region: north # mine\n", SCAFFOLD);
    expect(out).toContain("region: north # mine");
    expect(out).toContain("limit: 100");
    expect(out.match(/region/g)?.length).toBe(1);
  });
  it("leaves a config with a YAML error alone", () => {
    expect(scaffoldMissing("ops: [unclosed", SCAFFOLD)).toBe("ops: [unclosed");
  });
});

describe("ticks and backfill statuses", () => {
  const tick = (over: Partial<Tick>): Tick => ({
    id: "1", status: "SUCCESS", timestamp: 0, endTimestamp: null, runIds: [], skippedRunKeys: [], skipReason: null, cursor: null, error: null, ...over,
  });
  it("says why a tick skipped or failed", () => {
    expect(tickSummary(tick({ status: "SKIPPED", skipReason: "no new files" }))).toBe("no new files");
    expect(tickSummary(tick({ status: "SKIPPED", skippedRunKeys: ["a", "b"] }))).toBe("run keys a, b requested already");
    expect(tickSummary(tick({ status: "FAILURE", error: { message: "boom\nmore", stack: [] } }))).toBe("boom");
    expect(tickSummary(tick({ runIds: ["r1"] }))).toBe("1 run requested");
  });
  it("colours finished backfills", () => {
    expect(statusClass("COMPLETED_SUCCESS")).toBe("s-ok");
    expect(statusClass("COMPLETED_FAILED")).toBe("s-fail");
    expect(statusClass("CANCELING")).toBe("s-warn");
  });
});
