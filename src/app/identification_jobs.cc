// Identification runs in the background (app/background_jobs.h): started by
// a request that answers at once, watched by the page until done.
#include <iostream>

#include "app/cycles.h"
#include "app/errors.h"
#include "app/identification.h"

namespace zizhu::app {

namespace {

constexpr std::string_view kKind = "identification";

// A job is shown to those who may see its scope, and to a school's users
// for a county run (it covers their school: they wait for it, not start
// their own).
bool may_watch(const Actor& actor, const JobStatus& job) {
  return actor.in_scope(job.scope_path) || actor.org_path.starts_with(job.scope_path);
}

}  // namespace

Result<JobStatus> start_identification_job(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                           const std::optional<std::string>& school_code, bool* existing) {
  // What the run would refuse at once is refused here, before queueing: the
  // page shows it next to the button instead of in a job that failed.
  auto scope = run_scope(store, actor, cycle_id, school_code);
  if (!scope) return tl::unexpected(scope.error());
  if (auto ok = require_state(scope->cycle, {store::CycleState::kReview}, "运行资格认定（申请结束后、评审期间运行）"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto policy = cycle_policy(store, scope->cycle); !policy) return tl::unexpected(policy.error());

  JobStatus meta;
  meta.kind = std::string(kKind);
  meta.cycle_id = cycle_id;
  meta.scope_path = scope->school ? scope->school->path : scope->cycle.county_path;
  if (scope->school) meta.scope_code = scope->school->school_code;
  meta.user_id = actor.user_id;
  meta.username = actor.username;
  // The work runs later on the jobs' thread with its own connection; it
  // carries a copy of the actor (who ran it, for the run and the audit log)
  // and the school's code, and checks everything again when it starts.
  std::optional<std::string> code;
  if (scope->school) code = scope->school->school_code;
  App* app_ptr = &app;
  auto work = [app_ptr, actor, cycle_id, code](JobProgress& progress) -> Result<int64_t> {
    auto lease = app_ptr->store();
    if (!lease) return tl::unexpected(lease.error());
    auto run = run_identification(*app_ptr, **lease, actor, cycle_id, code, &progress);
    if (!run) {
      // For the operator: the job's answer to the browser hides internal
      // detail (server/api/identification_routes.cc), the log keeps it.
      std::cerr << "zizhu: identification job (cycle " << cycle_id << ", " << code.value_or("county")
                << ") failed: " << run.error().code << ": " << run.error().describe() << "\n";
      return tl::unexpected(run.error());
    }
    return run->id;
  };
  return app.jobs().submit(std::move(meta), std::move(work), existing);
}

Result<std::vector<JobStatus>> identification_jobs(App& app, store::Store& store, const Actor& actor,
                                                   int64_t cycle_id) {
  if (auto cycle = visible_cycle(store, actor, cycle_id); !cycle) return tl::unexpected(cycle.error());
  std::vector<JobStatus> out;
  for (auto& j : app.jobs().list()) {
    if (j.kind == kKind && j.cycle_id == cycle_id && may_watch(actor, j)) out.push_back(std::move(j));
  }
  return out;
}

Result<JobStatus> identification_job(App& app, store::Store& store, const Actor& actor, int64_t job_id) {
  auto job = app.jobs().get(job_id);
  if (!job || job->kind != kKind || !may_watch(actor, *job)) return fail("NOT_FOUND", "认定任务不存在或已过期");
  if (auto cycle = visible_cycle(store, actor, job->cycle_id); !cycle) return fail("NOT_FOUND", "认定任务不存在或已过期");
  return *job;
}

}  // namespace zizhu::app
