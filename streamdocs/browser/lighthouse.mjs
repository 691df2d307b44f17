// Lighthouse over a list of URLs with one Chromium (the system one, via
// CHROME_PATH), mobile and desktop presets. Prints one JSON line per URL and
// preset: figures only, `make audit` (streamdocs/browser/audit.py) tabulates them.
// Usage: [LIGHTHOUSE_RUNS=N] node streamdocs/browser/lighthouse.mjs URL...
//
// Mobile performance swings by several points between identical runs (a
// simulated 4x slower CPU magnifies every scheduling hiccup), so each page
// gets N mobile runs (default 3). Its performance score is the median of the N
// scores (the lower middle one when N is even), and its other figures come
// from Lighthouse's own median run, as its docs advise. (That run is picked by
// paint and interactive times alone, so its score can be the worst of six when
// blocking time is what varied.) No page is measured again: its one median
// is its score. Desktop is steady: one run.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { computeMedianRun } from "lighthouse/core/lib/median-run.js";

// Without the background-networking flags Chromium dials out on start-up,
// which a closed network refuses.
const flags = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: flags,
});
const categories = ["performance", "accessibility", "best-practices", "seo"];
const mobileRuns = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS || 3));
const performanceScore = (lhr) => Math.round((lhr.categories.performance.score ?? 0) * 100);
const medianRun = (lhrs) => (lhrs.length > 1 ? computeMedianRun(lhrs) : lhrs[0]);
const medianScore = (lhrs) => {
  const scores = lhrs.map(performanceScore).sort((a, b) => a - b);
  return scores[Math.floor((scores.length - 1) / 2)];
};
try {
  for (const url of process.argv.slice(2)) {
    for (const [formFactor, config, runs] of [
      ["mobile", undefined, mobileRuns],
      ["desktop", desktopConfig, 1],
    ]) {
      const lhrs = [];
      const measure = async (n) => {
        for (let i = 0; i < n; i++) {
          const result = await lighthouse(
            url,
            { port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories },
            config,
          );
          lhrs.push(result.lhr);
        }
      };
      await measure(runs);
      const lhr = medianRun(lhrs);
      const audits = lhr.audits;
      const failing = Object.values(audits)
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary")
        .map((a) => a.id);
      console.log(JSON.stringify({
        url, formFactor,
        performanceRuns: lhrs.map(performanceScore),
        scores: {
          ...Object.fromEntries(categories.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)])),
          performance: medianScore(lhrs),
        },
        transferBytes: audits["total-byte-weight"].numericValue,
        lcpMs: audits["largest-contentful-paint"].numericValue,
        tbtMs: audits["total-blocking-time"].numericValue,
        failing,
        runtimeError: lhr.runtimeError?.message,
        biggest: (audits["network-requests"].details?.items ?? [])
          .sort((a, b) => b.transferSize - a.transferSize).slice(0, 5)
          .map((r) => `${r.url.replace(/^https?:\/\/[^/]+/, "")} ${Math.round(r.transferSize / 1024)} KiB`),
      }));
    }
  }
} finally {
  await chrome.kill();
}
