// Lighthouse over a list of URLs with one Chromium (the system one, via
// CHROME_PATH), mobile and desktop presets. Prints one JSON line per run:
// figures only, `make audit` (tests/browser/audit.py) tabulates them.
// Usage: node tests/browser/lighthouse.mjs URL...
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

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
try {
  for (const url of process.argv.slice(2)) {
    for (const [formFactor, config] of [["mobile", undefined], ["desktop", desktopConfig]]) {
      const result = await lighthouse(
        url,
        { port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories },
        config,
      );
      const lhr = result.lhr;
      const audits = lhr.audits;
      const failing = Object.values(audits)
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary")
        .map((a) => a.id);
      console.log(JSON.stringify({
        url, formFactor,
        scores: Object.fromEntries(categories.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)])),
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
