// Long work run off the request threads (issue 7: "progress for long work"):
// a request enqueues the work and answers at once with a job; the browser
// asks for the job's progress until it is done. One worker thread runs the
// jobs one after another — identification already keeps two cores busy on
// the 2-core machines counties have, and two at once would only make both
// slower — and the queue says where each waiting job stands.
//
// Jobs live in memory only: a job's result is what it writes to the database
// in its own transaction (an identification run and its audit record), so a
// restart loses the progress display of an unfinished job, never half a
// result. Finished jobs are kept for a while so that a page opened later
// still sees how the last one ended.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"

namespace zizhu::app {

enum class JobState : uint8_t { kQueued, kRunning, kDone, kFailed };
std::string_view job_state_key(JobState state);  // "queued", "running", "done", "failed"

// What a job is and how far it has come; a copy, safe to read anywhere.
struct JobStatus {
  int64_t id = 0;
  std::string kind;        // "identification"
  int64_t cycle_id = 0;
  std::string scope_path;  // the org path the work covers (county or school)
  std::string scope_code;  // the school's code; empty for a whole county
  int64_t user_id = 0;     // who started it
  std::string username;
  JobState state = JobState::kQueued;
  int queue_position = 0;  // jobs ahead of it while queued
  // Progress: step `step` (1-based) of `steps`, named `step_name`; `done` of
  // `total` units within the step when the step can count (0 of 0 if not).
  int step = 0, steps = 0;
  std::string step_name;
  int64_t done = 0, total = 0;
  // How much of the whole each step is (the work's own measure, e.g. of
  // time); empty: the steps count alike.
  std::vector<int> step_weights;
  int64_t created_at_ms = 0, started_at_ms = 0, finished_at_ms = 0;
  std::optional<int64_t> result_id;  // e.g. the identification run's id
  std::string error_code, error_message, error_field;

  // How far, 0-100: the finished steps' weights and the current step's
  // share of its units; 100 once done.
  int percent() const;
};

// Handed to the work: where it reports its steps, and how it learns that the
// server is stopping. Written by the worker thread only; read by any.
class JobProgress {
 public:
  // The steps' weights, before the first step (JobStatus::step_weights).
  void plan(std::vector<int> weights);
  void step(int index, int count, std::string_view name, int64_t total = 0);
  void advance(int64_t done);
  bool cancelled() const { return cancelled_->load(std::memory_order_relaxed); }

 private:
  friend class BackgroundJobs;
  JobProgress(class BackgroundJobs* jobs, int64_t id, const std::atomic<bool>* cancelled)
      : jobs_(jobs), id_(id), cancelled_(cancelled) {}
  class BackgroundJobs* jobs_;
  int64_t id_;
  const std::atomic<bool>* cancelled_;
};

class BackgroundJobs {
 public:
  // The work answers the id of what it made, or the error it stopped on.
  using Work = std::function<Result<int64_t>(JobProgress&)>;

  explicit BackgroundJobs(std::function<int64_t()> now_ms) : now_ms_(std::move(now_ms)) {}
  // Queued jobs are dropped; the running one is asked to stop (cancelled())
  // and waited for.
  ~BackgroundJobs();
  BackgroundJobs(const BackgroundJobs&) = delete;
  BackgroundJobs& operator=(const BackgroundJobs&) = delete;

  // Queues `work` described by `meta` (kind, cycle, scope, user). When a job
  // of the same kind, cycle and scope is still queued or running, that job
  // is answered instead and nothing is queued (`*existing` is set): pressing
  // the button twice does not run the work twice.
  JobStatus submit(JobStatus meta, Work work, bool* existing = nullptr);

  std::optional<JobStatus> get(int64_t id) const;
  // Every job kept, newest first.
  std::vector<JobStatus> list() const;

  // How many finished jobs are kept (the oldest go first).
  static constexpr size_t kFinishedKept = 200;

 private:
  friend class JobProgress;
  struct Entry {
    JobStatus status;
    Work work;
  };
  void run_worker();
  void positions_locked();
  Entry* find_locked(int64_t id);

  std::function<int64_t()> now_ms_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Entry>> jobs_;  // oldest first
  int64_t next_id_ = 1;
  bool stopping_ = false;
  std::atomic<bool> cancel_running_{false};
  std::thread worker_;  // started with the first job
};

}  // namespace zizhu::app
