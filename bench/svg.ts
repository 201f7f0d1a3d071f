// A hand-written SVG chart (no dependency): per scenario, one bar per policy, for list requests and
// for p95 detection lag. Scenarios differ by orders of magnitude, so bars are scaled within each
// scenario (its largest bar is full height) and every bar carries its value.
import { type BenchConfig, SCENARIO_LETTERS } from "./config";
import { POLICY_IDS, POLICY_LABELS, type PolicyId } from "./policies";
import { roundSeconds, type Row } from "./report";

const COLORS: Record<PolicyId, string> = {
  ours: "#2b7bb9",
  statechangeconf: "#7b42bc",
  aws: "#e8890c",
  hcloud: "#d50c2d",
};

const WIDTH = 960;
const PANEL = 250;
const BAR = 34;
const GAP = 8;
const LEFT = 20;

interface Panel {
  title: string;
  value: (r: Row) => number | null;
  label: (r: Row) => string;
}

/** The second panel's value: p95 lag, or for (d) the refresh's wall time. */
const lagOrWall = (r: Row) => (r.scenario === "refresh" ? r.wallS : r.lagP95S);

export function chartSvg(config: BenchConfig, rows: Row[]): string {
  const scenarios = config.scenarios.filter((s) => s !== "memory" && s !== "processes"); // own tables
  const panels: Panel[] = [
    {
      title: "List requests (fewer is better); in red: failed creates or waits, in the legend's order",
      value: (r) => r.listRequests,
      label: (r) => r.listRequests.toLocaleString("en-US"),
    },
    {
      title: "p95 detection lag, s (lower is better); (d): wall time of the refresh, s (not scaled)",
      value: lagOrWall,
      label: (r) => {
        const v = lagOrWall(r);
        return v === null ? "–" : roundSeconds(v);
      },
    },
  ];
  const legendHeight = 60;
  const height = legendHeight + panels.length * (PANEL + 50) + 10;
  const groupWidth = (WIDTH - 2 * LEFT) / Math.max(1, scenarios.length);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
      `font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  ];
  // Legend: two columns, two rows (the labels are long).
  POLICY_IDS.forEach((id, i) => {
    const x = LEFT + (i % 2) * 470;
    const y = 12 + Math.floor(i / 2) * 22;
    out.push(`<rect x="${x}" y="${y}" width="14" height="14" fill="${COLORS[id]}"/>`);
    out.push(`<text x="${x + 20}" y="${y + 12}">${escape(POLICY_LABELS[id])}</text>`);
  });
  panels.forEach((panel, p) => {
    const top = legendHeight + p * (PANEL + 50);
    const base = top + PANEL;
    out.push(`<text x="${LEFT}" y="${top + 14}" font-weight="bold">${escape(panel.title)}</text>`);
    out.push(`<line x1="${LEFT}" y1="${base}" x2="${WIDTH - LEFT}" y2="${base}" stroke="#888"/>`);
    scenarios.forEach((scenario, g) => {
      const group = rows.filter((r) => r.scenario === scenario);
      const max = Math.max(0, ...group.map((r) => panel.value(r) ?? 0));
      const barsWidth = POLICY_IDS.length * BAR + (POLICY_IDS.length - 1) * GAP;
      const x0 = LEFT + g * groupWidth + (groupWidth - barsWidth) / 2;
      POLICY_IDS.forEach((id, i) => {
        const r = group.find((x) => x.policy === id);
        if (!r) return;
        const v = panel.value(r) ?? 0;
        const h = max > 0 ? Math.max(1, (v / max) * (PANEL - 60)) : 1;
        const x = x0 + i * (BAR + GAP);
        out.push(
          `<rect x="${x}" y="${(base - h).toFixed(1)}" width="${BAR}" height="${h.toFixed(1)}" fill="${COLORS[id]}"/>`,
        );
        out.push(
          `<text x="${x + BAR / 2}" y="${(base - h - 4).toFixed(1)}" text-anchor="middle" font-size="11">` +
            `${escape(panel.label(r))}</text>`,
        );
      });
      const middle = LEFT + g * groupWidth + groupWidth / 2;
      out.push(
        `<text x="${middle}" y="${base + 16}" text-anchor="middle">${escape(shortTitle(config, scenario))}</text>`,
      );
      // Failures under the first panel's scenario name, in the legend's order (labels on bars would collide).
      const failures = POLICY_IDS.map((id) => group.find((r) => r.policy === id)?.failures ?? 0);
      if (p === 0 && failures.some((n) => n > 0)) {
        out.push(
          `<text x="${middle}" y="${base + 32}" text-anchor="middle" fill="#d50c2d">` +
            `failed: ${failures.map((n) => n.toLocaleString("en-US")).join(" / ")}</text>`,
        );
      }
    });
  });
  out.push("</svg>", "");
  return out.join("\n");
}

function shortTitle(config: BenchConfig, scenario: Row["scenario"]): string {
  const letter = `(${SCENARIO_LETTERS[scenario]})`;
  if (scenario === "single") return `${letter} ${config.singleDurationsS.length} single waits`;
  if (scenario === "fleet") return `${letter} ${config.fleet.waits} waits, ${config.fleet.servers} servers`;
  if (scenario === "memory") return `${letter} memory`;
  if (scenario === "limited")
    return `${letter} ${config.limited.waits} waits, ${config.limited.requestsPerMinute}/min limit`;
  return `${letter} refresh of ${config.refresh.resources}`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
