// Small helpers shared by the bench phases: statistics, formatting, waiting for a quiet machine.
import fs from 'node:fs';
import os from 'node:os';

export const sleep = milliseconds => new Promise(resolve => setTimeout(resolve, milliseconds));

export function quantile(values, q) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export const median = values => quantile(values, 0.5);

/** Median, quartiles, min and max of a sample, rounded for results.json. */
export function summary(values) {
  const finite = values.filter(Number.isFinite);
  return {
    n: finite.length,
    median: round(median(finite)),
    p25: round(quantile(finite, 0.25)),
    p75: round(quantile(finite, 0.75)),
    min: round(Math.min(...finite)),
    max: round(Math.max(...finite)),
  };
}

export function round(value, digits = 3) {
  if (!Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function formatMs(value, digits) {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  const places = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return `${value.toFixed(places)} ms`;
}

export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'n/a';
  const sign = bytes < 0 ? '-' : '';
  const size = Math.abs(bytes);
  if (size >= 1024 * 1024) return `${sign}${(size / 1024 / 1024).toFixed(2)} MB`;
  if (size >= 1024) return `${sign}${(size / 1024).toFixed(1)} KB`;
  return `${sign}${size} B`;
}

export function formatRatio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

export const signed = (text, value) => (value >= 0 ? `+${text}` : text);

/**
 * Processes of another code-server or Playwright chromium run (not ours): the machine has 2 cores,
 * and a workbench loading next to us would distort every timing.
 */
export function foreignHeavyProcesses(ownGroups = new Set()) {
  const found = [];
  let entries = [];
  try { entries = fs.readdirSync('/proc'); } catch { return found; }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let commandLine;
    let processGroup;
    try {
      commandLine = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      processGroup = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[2]);
    } catch { continue; }
    if (ownGroups.has(processGroup)) continue;
    if (/code-server\/node_modules|playwright_chromiumdev_profile/.test(commandLine)) found.push({ pid: Number(entry), command: commandLine.slice(0, 160) });
  }
  return found;
}

/** Waits (up to maxMs) until no other code-server / chromium test run is going. Returns how long it waited and whether it gave up. */
export async function waitForQuietMachine(label, { maxMs = Number(process.env.BYOK_BENCH_WAIT_MS || 15 * 60_000), ownGroups } = {}) {
  const started = Date.now();
  let told = false;
  for (;;) {
    const busy = foreignHeavyProcesses(ownGroups);
    if (busy.length === 0) return { waitedMs: Date.now() - started, gaveUp: false, loadAverage: os.loadavg()[0] };
    if (Date.now() - started > maxMs) {
      console.warn(`[bench] ${label}: another code-server/chromium run is still going after ${Math.round(maxMs / 1000)} s; measuring anyway (figures may be inflated)`);
      return { waitedMs: Date.now() - started, gaveUp: true, loadAverage: os.loadavg()[0] };
    }
    if (!told) {
      console.log(`[bench] ${label}: waiting for another code-server/chromium run to finish (${busy.length} processes, e.g. pid ${busy[0].pid})`);
      told = true;
    }
    await sleep(5000);
  }
}
