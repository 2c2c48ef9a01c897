#include "app/background_jobs.h"

#include <algorithm>
#include <cassert>

namespace zizhu::app {

std::string_view job_state_key(JobState state) {
  switch (state) {
    case JobState::kQueued: return "queued";
    case JobState::kRunning: return "running";
    case JobState::kDone: return "done";
    case JobState::kFailed: return "failed";
  }
  return "failed";
}

int JobStatus::percent() const {
  if (state == JobState::kDone) return 100;
  if (steps <= 0 || step <= 0) return 0;
  int64_t whole = 0, before = 0, current = 1;
  for (int i = 0; i < steps; ++i) {
    const int64_t w = static_cast<size_t>(i) < step_weights.size() ? step_weights[static_cast<size_t>(i)] : 1;
    whole += w;
    if (i < step - 1) before += w;
    if (i == step - 1) current = w;
  }
  if (whole <= 0) return 0;
  // In whole per-mille steps of integers: no floating point in a count.
  const int64_t within = total > 0 ? current * done * 1000 / total : 0;
  const int64_t p = (before * 1000 + within) * 100 / (whole * 1000);
  return static_cast<int>(std::clamp<int64_t>(p, 0, 99));  // 100 only when done
}

void JobProgress::plan(std::vector<int> weights) {
  std::lock_guard lock(jobs_->mutex_);
  if (auto* e = jobs_->find_locked(id_)) e->status.step_weights = std::move(weights);
}

void JobProgress::step(int index, int count, std::string_view name, int64_t total) {
  assert(index >= 1 && index <= count && total >= 0);
  std::lock_guard lock(jobs_->mutex_);
  if (auto* e = jobs_->find_locked(id_)) {
    e->status.step = index;
    e->status.steps = count;
    e->status.step_name = std::string(name);
    e->status.done = 0;
    e->status.total = total;
  }
}

void JobProgress::advance(int64_t done) {
  std::lock_guard lock(jobs_->mutex_);
  if (auto* e = jobs_->find_locked(id_)) {
    assert(done >= e->status.done && done <= e->status.total);
    e->status.done = done;
  }
}

BackgroundJobs::~BackgroundJobs() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cancel_running_.store(true, std::memory_order_relaxed);
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

BackgroundJobs::Entry* BackgroundJobs::find_locked(int64_t id) {
  for (auto& e : jobs_) {
    if (e->status.id == id) return e.get();
  }
  return nullptr;
}

void BackgroundJobs::positions_locked() {
  int ahead = 0;
  for (auto& e : jobs_) {
    if (e->status.state == JobState::kRunning) ++ahead;
  }
  for (auto& e : jobs_) {
    if (e->status.state != JobState::kQueued) continue;
    e->status.queue_position = ahead++;
  }
}

JobStatus BackgroundJobs::submit(JobStatus meta, Work work, bool* existing) {
  std::unique_lock lock(mutex_);
  for (const auto& e : jobs_) {
    const auto& s = e->status;
    if ((s.state == JobState::kQueued || s.state == JobState::kRunning) && s.kind == meta.kind &&
        s.cycle_id == meta.cycle_id && s.scope_path == meta.scope_path) {
      if (existing != nullptr) *existing = true;
      return s;
    }
  }
  if (existing != nullptr) *existing = false;
  auto entry = std::make_unique<Entry>();
  entry->status = std::move(meta);
  entry->status.id = next_id_++;
  entry->status.state = JobState::kQueued;
  entry->status.created_at_ms = now_ms_();
  entry->work = std::move(work);
  jobs_.push_back(std::move(entry));
  // Forget the oldest finished jobs beyond the ones kept; never a live one.
  size_t finished = 0;
  for (const auto& e : jobs_) finished += e->status.state == JobState::kDone || e->status.state == JobState::kFailed;
  for (auto it = jobs_.begin(); finished > kFinishedKept && it != jobs_.end();) {
    if ((*it)->status.state == JobState::kDone || (*it)->status.state == JobState::kFailed) {
      it = jobs_.erase(it);
      --finished;
    } else {
      ++it;
    }
  }
  positions_locked();
  JobStatus out = jobs_.back()->status;
  if (!worker_.joinable()) worker_ = std::thread([this] { run_worker(); });
  lock.unlock();
  wake_.notify_one();
  return out;
}

std::optional<JobStatus> BackgroundJobs::get(int64_t id) const {
  std::lock_guard lock(mutex_);
  for (const auto& e : jobs_) {
    if (e->status.id == id) return e->status;
  }
  return std::nullopt;
}

std::vector<JobStatus> BackgroundJobs::list() const {
  std::lock_guard lock(mutex_);
  std::vector<JobStatus> out;
  out.reserve(jobs_.size());
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) out.push_back((*it)->status);
  return out;
}

void BackgroundJobs::run_worker() {
  for (;;) {
    int64_t id = 0;
    Work work;
    {
      std::unique_lock lock(mutex_);
      Entry* next = nullptr;
      wake_.wait(lock, [&] {
        if (stopping_) return true;
        for (auto& e : jobs_) {
          if (e->status.state == JobState::kQueued) {
            next = e.get();
            return true;
          }
        }
        return false;
      });
      if (stopping_) return;
      next->status.state = JobState::kRunning;
      next->status.started_at_ms = now_ms_();
      id = next->status.id;
      work = std::move(next->work);
      positions_locked();
    }
    JobProgress progress(this, id, &cancel_running_);
    Result<int64_t> result = work(progress);
    work = nullptr;  // what the work captured goes before the next job starts
    std::lock_guard lock(mutex_);
    Entry* e = find_locked(id);
    assert(e != nullptr);  // a running job is never forgotten
    e->status.finished_at_ms = now_ms_();
    if (result) {
      e->status.state = JobState::kDone;
      e->status.result_id = *result;
      e->status.done = e->status.total;
    } else {
      e->status.state = JobState::kFailed;
      e->status.error_code = result.error().code;
      e->status.error_message = result.error().message;
      e->status.error_field = result.error().where.column;
    }
    positions_locked();
  }
}

}  // namespace zizhu::app
