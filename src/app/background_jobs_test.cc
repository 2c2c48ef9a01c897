// The background jobs: one at a time in order, progress visible while they
// run, the same work not queued twice, a failure kept with its error, and a
// stopping owner that asks the running job to stop and waits for it.
#include "app/background_jobs.h"

#include <chrono>
#include <future>

#include <gtest/gtest.h>

namespace zizhu::app {
namespace {

using namespace std::chrono_literals;

JobStatus meta(int64_t cycle_id, std::string scope) {
  JobStatus m;
  m.kind = "test";
  m.cycle_id = cycle_id;
  m.scope_path = std::move(scope);
  return m;
}

// Waits (bounded) until the job reaches `state`.
JobStatus wait_for(const BackgroundJobs& jobs, int64_t id, JobState state) {
  for (int i = 0; i < 2000; ++i) {
    auto j = jobs.get(id);
    if (j && j->state == state) return *j;
    std::this_thread::sleep_for(5ms);
  }
  ADD_FAILURE() << "job " << id << " never reached " << job_state_key(state);
  return {};
}

TEST(BackgroundJobs, RunsInOrderShowsProgressAndKeepsTheOutcome) {
  int64_t now = 1000;
  BackgroundJobs jobs([&] { return now; });
  std::promise<void> go;
  std::shared_future<void> gate = go.get_future().share();
  std::promise<void> at_step;
  auto first = jobs.submit(meta(1, "/a/"), [&](JobProgress& p) -> Result<int64_t> {
    p.step(1, 2, "第一步", 10);
    p.advance(4);
    at_step.set_value();
    gate.wait();
    p.step(2, 2, "第二步");
    return 77;
  });
  EXPECT_EQ(first.state, JobState::kQueued);
  EXPECT_EQ(first.created_at_ms, 1000);
  auto second = jobs.submit(meta(1, "/b/"), [](JobProgress&) -> Result<int64_t> {
    return fail("STATE_CONFLICT", "周期已变化", Location{"", 0, "cycle"});
  });
  at_step.get_future().wait();
  auto running = jobs.get(first.id);
  ASSERT_TRUE(running);
  EXPECT_EQ(running->state, JobState::kRunning);
  EXPECT_EQ(running->step, 1);
  EXPECT_EQ(running->steps, 2);
  EXPECT_EQ(running->step_name, "第一步");
  EXPECT_EQ(running->done, 4);
  EXPECT_EQ(running->total, 10);
  EXPECT_EQ(running->percent(), 20) << "steps alike: half of step 1's share, 4 of 10";
  auto waiting = jobs.get(second.id);
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->state, JobState::kQueued);
  EXPECT_EQ(waiting->queue_position, 1);  // the running one is ahead

  // The same kind, cycle and scope while it runs: the running job answers.
  bool existing = false;
  auto again = jobs.submit(meta(1, "/a/"), [](JobProgress&) -> Result<int64_t> { return 1; }, &existing);
  EXPECT_TRUE(existing);
  EXPECT_EQ(again.id, first.id);

  now = 5000;
  go.set_value();
  auto done = wait_for(jobs, first.id, JobState::kDone);
  EXPECT_EQ(done.result_id, 77);
  EXPECT_EQ(done.step, 2);
  EXPECT_EQ(done.finished_at_ms, 5000);
  auto failed = wait_for(jobs, second.id, JobState::kFailed);
  EXPECT_EQ(failed.error_code, "STATE_CONFLICT");
  EXPECT_EQ(failed.error_message, "周期已变化");
  EXPECT_EQ(failed.error_field, "cycle");
  EXPECT_FALSE(failed.result_id);

  // Finished, the same scope may run again; newest first in the list.
  auto third = jobs.submit(meta(1, "/a/"), [](JobProgress&) -> Result<int64_t> { return 3; }, &existing);
  EXPECT_FALSE(existing);
  EXPECT_NE(third.id, first.id);
  wait_for(jobs, third.id, JobState::kDone);
  auto all = jobs.list();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, third.id);
  EXPECT_EQ(all[2].id, first.id);
}

TEST(BackgroundJobs, PercentWeighsTheSteps) {
  JobStatus s;
  s.steps = 3;
  s.step_weights = {6, 1, 3};
  EXPECT_EQ(s.percent(), 0) << "not started";
  s.step = 1;
  s.total = 4;
  s.done = 2;
  EXPECT_EQ(s.percent(), 30);  // half of 6 of 10
  s.step = 3;
  s.total = 0;
  s.done = 0;
  EXPECT_EQ(s.percent(), 70);  // steps 1 and 2 done; step 3 cannot count
  s.total = 10;
  s.done = 10;
  EXPECT_EQ(s.percent(), 99) << "100 only when done";
  s.state = JobState::kDone;
  EXPECT_EQ(s.percent(), 100);
}

TEST(BackgroundJobs, KeepsOnlyTheNewestFinishedJobs) {
  BackgroundJobs jobs([] { return 0; });
  int64_t last = 0;
  for (size_t i = 0; i < BackgroundJobs::kFinishedKept + 5; ++i) {
    last = jobs.submit(meta(static_cast<int64_t>(i), "/a/"), [](JobProgress&) -> Result<int64_t> { return 1; }).id;
    wait_for(jobs, last, JobState::kDone);
  }
  // The newest is kept, the first ones are gone; at most kFinishedKept + the
  // one just queued before trimming.
  EXPECT_TRUE(jobs.get(last));
  EXPECT_FALSE(jobs.get(1));
  EXPECT_LE(jobs.list().size(), BackgroundJobs::kFinishedKept + 1);
}

TEST(BackgroundJobs, StoppingAsksTheRunningJobToStopAndWaits) {
  std::atomic<bool> saw_cancel{false};
  std::promise<void> started;
  {
    BackgroundJobs jobs([] { return 0; });
    jobs.submit(meta(1, "/a/"), [&](JobProgress& p) -> Result<int64_t> {
      started.set_value();
      while (!p.cancelled()) std::this_thread::sleep_for(1ms);
      saw_cancel = true;
      return fail("CANCELLED", "停止");
    });
    // A second job never starts once the owner is stopping.
    jobs.submit(meta(2, "/a/"), [](JobProgress&) -> Result<int64_t> {
      ADD_FAILURE() << "a queued job ran while stopping";
      return 1;
    });
    started.get_future().wait();
  }  // the destructor returns only after the running job saw the request
  EXPECT_TRUE(saw_cancel);
}

}  // namespace
}  // namespace zizhu::app
