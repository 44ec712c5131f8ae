/**
 * The README stays a short door, and every relative link in it and in the docs/ pages leads somewhere:
 * an existing file or folder and, with `#anchor`, a heading of that page (GitHub's anchor rules).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repo = process.cwd();
const pages = ["README.md", ...readdirSync(join(repo, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** Markdown text without fenced code blocks and inline code spans (links there are not links). */
export function proseOf(markdown: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split("\n")) {
    const m = /^\s*(```+|~~~+)/.exec(line);
    if (m) {
      if (fence === null) fence = m[1][0];
      else if (m[1][0] === fence) fence = null;
      out.push("");
      continue;
    }
    out.push(fence === null ? line.replace(/(`+)[\s\S]*?\1/g, "") : "");
  }
  return out.join("\n");
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slugOf(heading: string): string {
  return heading
    .trim()
    .replace(/`/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a page offers: its headings' slugs (repeats numbered -1, -2 as GitHub does). */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const slug = slugOf(m[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** The relative link targets of a page (absolute URLs and mail links left out). */
export function relativeLinksOf(markdown: string): string[] {
  const targets: string[] = [];
  for (const m of proseOf(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    targets.push(target);
  }
  return targets;
}

/** Why a link from `page` to `target` leads nowhere, or null when it resolves. */
function brokenReason(page: string, target: string): string | null {
  const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
  const file = pathPart === "" ? join(repo, page) : resolve(dirname(join(repo, page)), decodeURIComponent(pathPart));
  if (!file.startsWith(repo)) return `leaves the repository`;
  if (!existsSync(file)) return `no file ${relative(repo, file)}`;
  if (anchor === undefined || anchor === "") return null;
  if (statSync(file).isDirectory() || !file.endsWith(".md")) return `anchor #${anchor} on a file that is not markdown`;
  return anchorsOf(readFileSync(file, "utf8")).has(decodeURIComponent(anchor).toLowerCase()) ? null : `no heading #${anchor} in ${relative(repo, file)}`;
}

describe("README and docs pages", () => {
  it("the README is a door of at most 350 lines", () => {
    const lines = readFileSync(join(repo, "README.md"), "utf8").replace(/\n$/, "").split("\n").length;
    expect(lines).toBeLessThanOrEqual(350);
  });

  it("every relative link in README.md and docs/*.md resolves to a file and, with #anchor, to a heading", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const target of relativeLinksOf(readFileSync(join(repo, page), "utf8"))) {
        checked++;
        const why = brokenReason(page, target);
        if (why !== null) broken.push(`${page}: (${target}) ${why}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });

  it("every source path the pages name in code spans (`lambdas/…`, `lib/…`, `test/…`, …) exists", () => {
    const missing: string[] = [];
    for (const page of pages) {
      for (const m of readFileSync(join(repo, page), "utf8").matchAll(/`((?:lambdas|lib|test|scripts|examples|client|python|dashboards|bench)\/[A-Za-z0-9_./-]+)`/g)) {
        if (!existsSync(join(repo, m[1]))) missing.push(`${page}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("slugs and links follow GitHub's rules (the checker itself)", () => {
    expect(slugOf("The `mlwatch` command line")).toBe("the-mlwatch-command-line");
    expect(slugOf("Python (for SageMaker pipelines)")).toBe("python-for-sagemaker-pipelines");
    expect(slugOf("Health, pipeline events and the audit trail")).toBe("health-pipeline-events-and-the-audit-trail");
    expect([...anchorsOf("# A\n## Setup\n```\n# not a heading\n```\n## Setup\n")]).toEqual(["a", "setup", "setup-1"]);
    expect(relativeLinksOf("see [x](docs/a.md#b), [y](https://e.com), `[z](no.md)`\n```\n[w](c.md)\n```\n[v](#top)")).toEqual(["docs/a.md#b", "#top"]);
    expect(brokenReason("README.md", "docs/api.md#no-such-heading")).toMatch(/no heading/);
    expect(brokenReason("README.md", "docs/nothing-here.md")).toMatch(/no file/);
  });
});
