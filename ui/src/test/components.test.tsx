import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { afterEach, describe, expect, it } from "vitest";
import { PartitionBar } from "../components/PartitionBar";
import { StaleBadge } from "../components/StaleBadge";
import { NotAvailableNotice, StatusPill } from "../components/Status";
import { ConditionTree } from "../pages/Automation";
import { Gantt } from "../pages/RunPage";
import { RunsTable } from "../pages/RunsTable";

afterEach(cleanup);

describe("components", () => {
  it("ConditionTree: each node with its label, its true count and the dependency it is about", () => {
    const node = (uniqueId: string, name: string, numTrue: number, childUniqueIds: string[] = [], extra = {}) => ({
      uniqueId, name, numTrue, childUniqueIds, userLabel: null, expandedLabel: [name], numCandidates: 1,
      isPartitioned: false, depKey: null, truePartitionRanges: [], ...extra,
    });
    render(
      <ConditionTree
        rootId="0"
        nodes={[
          node("0", "AND", 0, ["0.0", "0.1"], { userLabel: "eager" }),
          node("0.0", "in_latest_time_window", 1),
          node("0.1", "ANY_DEPS_MATCH", 0, ["0.1[up]"]),
          node("0.1[up]", "newly_updated", 0, [], { depKey: "up" }),
        ]}
      />,
    );
    const rows = screen.getAllByTestId("condition-node");
    expect(rows).toHaveLength(4);
    expect(rows[0].textContent).toContain("✗ eager AND");
    expect(rows[1].textContent).toContain("✓ in_latest_time_window");
    expect(rows[3].textContent).toContain("[up]");
    expect(rows[3].style.paddingLeft).toBe("32px");
  });

  it("StaleBadge: a badge for stale assets only", () => {
    const { container, rerender } = render(<StaleBadge status="STALE" title="has a new code version" />);
    expect(screen.getByText("stale").getAttribute("title")).toBe("has a new code version");
    rerender(<StaleBadge status="FRESH" />);
    expect(container.textContent).toBe("");
  });

  it("PartitionBar: one segment per range, sized by count, with a legend", () => {
    render(
      <PartitionBar
        total={100_000}
        ranges={[
          { startKey: "p0", endKey: "p89999", count: 90_000, status: "MATERIALIZED" },
          { startKey: "p90000", endKey: "p90000", count: 1, status: "FAILED" },
          { startKey: "p90001", endKey: "p99999", count: 9_999, status: "MISSING" },
        ]}
      />,
    );
    const bar = screen.getByTestId("partition-bar");
    expect(bar.children).toHaveLength(3);
    expect((bar.children[0] as HTMLElement).style.flexGrow).toBe("90000");
    expect(bar.getAttribute("aria-label")).toBe("90000 of 100000 partitions materialized");
    expect(screen.getByText(/1 failed/)).toBeTruthy();
  });

  it("Gantt: a bar per started step, placed on the run's time axis", () => {
    render(
      <Gantt
        start={100}
        end={110}
        steps={[
          { stepKey: "a", status: "SUCCESS", startTime: 100, endTime: 105, attempts: 1 },
          { stepKey: "b", status: "FAILURE", startTime: 105, endTime: 110, attempts: 2 },
          { stepKey: "c", status: null, startTime: null, endTime: null, attempts: 0 },
        ]}
      />,
    );
    const bars = screen.getByTestId("gantt").querySelectorAll<HTMLElement>(".gantt-bar");
    expect(bars).toHaveLength(2);
    expect(bars[0].style.left).toBe("0%");
    expect(bars[1].style.left).toBe("50%");
    expect(bars[1].className).toContain("b-fail");
    expect(bars[1].title).toContain("2 attempts");
  });

  it("RunsTable: links, statuses and asset targets", () => {
    render(
      <MemoryRouter>
        <RunsTable
          runs={[
            { runId: "0123456789abcdef", status: "STARTED", jobName: "__ASSET_JOB", creationTime: 0, startTime: 0, endTime: null, tags: [{ key: "team", value: "data" }], assetSelection: [{ path: ["a"] }, { path: ["b"] }], partition: null },
          ]}
        />
      </MemoryRouter>,
    );
    expect(screen.getByText("01234567").getAttribute("href")).toBe("/runs/0123456789abcdef");
    expect(screen.getByText("RUNNING").getAttribute("data-status")).toBe("STARTED");
    expect(screen.getByText("a, b")).toBeTruthy();
    expect(screen.getByText("team=data")).toBeTruthy();
  });

  it("StatusPill and the not-available state", () => {
    render(
      <>
        <StatusPill status="FAILURE" />
        <NotAvailableNotice feature="Backfills" />
      </>,
    );
    expect(screen.getByText("FAILURE").className).toContain("s-fail");
    expect(screen.getByTestId("not-available").textContent).toContain("Backfills: not available in this build.");
  });
});
