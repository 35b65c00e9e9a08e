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
  const size = Math.round(Math.abs(bytes));
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
export function foreignHeavyProcesses() {
  const found = [];
  let entries;
  try { entries = fs.readdirSync('/proc'); } catch { return found; }
  const parents = new Map();
  const matching = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // stat: "pid (comm) state ppid pgrp ..."; comm may contain spaces, so split after the last ')'.
      parents.set(Number(entry), Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]));
      const commandLine = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (/code-server\/node_modules|playwright_chromiumdev_profile/.test(commandLine)) matching.push({ pid: Number(entry), command: commandLine.slice(0, 160) });
    } catch { /* gone */ }
  }
  // Ours are descendants of this process (code-server and chromium are started from it, in groups of their own).
  const ours = pid => {
    for (let current = pid, hops = 0; current > 1 && hops < 64; current = parents.get(current) ?? 0, hops++) if (current === process.pid) return true;
    return false;
  };
  for (const candidate of matching) if (!ours(candidate.pid)) found.push(candidate);
  return found;
}

/**
 * Watches for another code-server/chromium run starting while a phase measures (other engineers
 * share the machine): returns stop(), which reports the most foreign processes seen at once.
 */
export function watchForeignRuns(intervalMs = 3000) {
  let most = 0;
  let example;
  const check = () => {
    const found = foreignHeavyProcesses();
    if (found.length > most) { most = found.length; example = found[0]; }
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return () => { clearInterval(timer); check(); return { foreignProcessesSeen: most, example: example?.command }; };
}

/** Share of all CPU time that was busy over `milliseconds` (from /proc/stat; undefined elsewhere). */
export async function cpuBusyFraction(milliseconds = 1000) {
  const read = () => {
    try {
      const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      const idle = fields[3] + (fields[4] ?? 0);
      return { idle, total: fields.reduce((sum, value) => sum + value, 0) };
    } catch { return undefined; }
  };
  const first = read();
  await sleep(milliseconds);
  const second = read();
  if (!first || !second || second.total === first.total) return undefined;
  return round(1 - (second.idle - first.idle) / (second.total - first.total), 2);
}

/** Waits (up to maxMs) until no other code-server / chromium test run is going. Returns how long it waited and whether it gave up. */
export async function waitForQuietMachine(label, { maxMs = Number(process.env.BYOK_BENCH_WAIT_MS || 15 * 60_000) } = {}) {
  const started = Date.now();
  let told = false;
  for (;;) {
    const busy = foreignHeavyProcesses();
    if (busy.length === 0) {
      // Other work (a compile, a unit-test run) is not waited for, only recorded: the table flags it.
      const cpuBusy = await cpuBusyFraction();
      return { waitedMs: Date.now() - started, gaveUp: false, loadAverage: round(os.loadavg()[0], 2), cpuBusyBeforeStart: cpuBusy };
    }
    if (Date.now() - started > maxMs) {
      console.warn(`[bench] ${label}: another code-server/chromium run is still going after ${Math.round(maxMs / 1000)} s; measuring anyway (figures may be inflated)`);
      return { waitedMs: Date.now() - started, gaveUp: true, loadAverage: round(os.loadavg()[0], 2), cpuBusyBeforeStart: await cpuBusyFraction() };
    }
    if (!told) {
      console.log(`[bench] ${label}: waiting for another code-server/chromium run to finish (${busy.length} processes, e.g. pid ${busy[0].pid})`);
      told = true;
    }
    await sleep(5000);
  }
}
