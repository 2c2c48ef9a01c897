// Where the time of a background identification run goes, step by step
// (docs/aid-cycle.md "In the background"): starts `zizhu demo` with a county
// of N students, closes the applications, runs the county's identification as
// a job and asks for its progress every 20 ms, printing when each step began
// and how long it took. The page's percentage counts steps (and students in
// the explanation step), so this shows how far that is from time.
//
//   node bench/identify_job_steps.mjs [students]     (default 60000)
//   ZIZHU=build/zizhu is the binary (as for the API tests).
import { Client, startServer, user } from '../tests/api/harness.mjs';

const students = Number(process.argv[2] || 60000);
const server = await startServer(['--students', String(students)]);
try {
  const county = new Client(server.base);
  await county.login(user(server, 'county_officer'));
  const cycle = server.creds.objects.cycle_own;
  const closed = await county.post(`/api/v1/cycles/${cycle}/close-applications`, {});
  if (closed.status !== 200) throw new Error(closed.text);
  const t0 = performance.now();
  const started = await county.post(`/api/v1/cycles/${cycle}/identification-jobs`, {});
  if (started.status !== 202) throw new Error(started.text);
  const steps = [];
  let job = started.data;
  while (job.state === 'queued' || job.state === 'running') {
    const r = await county.get(`/api/v1/identification-jobs/${job.id}`);
    job = r.data;
    const at = performance.now() - t0;
    if (job.step && steps.at(-1)?.step !== job.step) steps.push({ step: job.step, name: job.step_name, at });
    await new Promise((ok) => setTimeout(ok, 20));
  }
  const end = performance.now() - t0;
  if (job.state !== 'done') throw new Error(JSON.stringify(job.error));
  const run = (await county.get(`/api/v1/cycles/${cycle}/identification-runs`)).data.items[0];
  console.log(`students ${run.students}, result rows ${run.results}, total ${(end / 1000).toFixed(2)} s`);
  for (let i = 0; i < steps.length; i++) {
    const until = i + 1 < steps.length ? steps[i + 1].at : end;
    const ms = until - steps[i].at;
    console.log(`step ${steps[i].step} ${steps[i].name}: ${(ms / 1000).toFixed(2)} s (${((ms / end) * 100).toFixed(0)} %)`);
  }
} finally {
  await server.stop();
}
