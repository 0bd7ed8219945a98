import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { describePolicy, duration, FreshnessPanel, type FreshnessData } from "../components/Freshness";

afterEach(cleanup);

const failing: FreshnessData = {
  internalFreshnessPolicy: { __typename: "TimeWindowFreshnessPolicy", failWindowSeconds: 7200, warnWindowSeconds: 3600 },
  freshnessPolicy: null,
  freshnessStatusInfo: { freshnessStatus: "FAIL", lastMaterializedTimestamp: 1_800_000_000 },
  freshnessCheck: {
    name: "freshness_check",
    latestExecution: {
      status: "FAILED",
      timestamp: 1_800_007_200,
      evaluation: { success: false, description: "Asset is overdue for an update." },
    },
  },
};

describe("freshness", () => {
  it("describes policies in words", () => {
    expect(duration(90)).toBe("1m 30s");
    expect(duration(93600)).toBe("1d 2h");
    expect(describePolicy({ __typename: "TimeWindowFreshnessPolicy", failWindowSeconds: 7200, warnWindowSeconds: 3600 })).toBe(
      "materialized at least every 2h; warn after 1h",
    );
    expect(
      describePolicy({ __typename: "CronFreshnessPolicy", deadlineCron: "0 9 * * *", lowerBoundDeltaSeconds: 1800, timezone: "Europe/Paris" }),
    ).toBe("by each tick of 0 9 * * * (Europe/Paris), materialized within 30m before it");
  });

  it("shows the state and the check of an asset that misses its policy", () => {
    render(<FreshnessPanel data={failing} />);
    const panel = screen.getByTestId("freshness");
    expect(panel.textContent).toContain("materialized at least every 2h");
    const pills = panel.querySelectorAll(".pill");
    expect([...pills].map((p) => [p.textContent, p.className])).toEqual([
      ["fail", "pill s-fail"],
      ["FAILED", "pill s-fail"],
    ]);
    expect(panel.textContent).toContain("Asset is overdue for an update.");
  });

  it("renders nothing for an asset without a policy or a freshness check", () => {
    const none: FreshnessData = { ...failing, internalFreshnessPolicy: null, freshnessCheck: null };
    const { container } = render(<FreshnessPanel data={none} />);
    expect(container.innerHTML).toBe("");
  });
});
