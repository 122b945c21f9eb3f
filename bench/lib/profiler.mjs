// CPU profiles of the code under test, taken with the V8 inspector inside
// the measured process, so set-up work (pools, warm-up) stays out of them.
// `node bench/profile.mjs` drives it and prints where the time goes.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

let session;

export async function startProfiling() {
  if (session !== undefined) throw new Error('a profile is already being taken');
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}

/** Stops the profile and writes it as a .cpuprofile file (Chrome DevTools and VS Code open it). */
export async function stopProfiling(file) {
  if (session === undefined) throw new Error('no profile is being taken');
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  session = undefined;
  writeFileSync(file, JSON.stringify(profile));
  return file;
}
