// The identification run in the server against `zizhu identify` on the same
// data exported as files: the demo's year is closed for applications, run
// for the county, and the cycle exported; the file run's results.csv and
// schools.csv have the SM3 the server recorded, and every stored row says
// what the file's row says. Explanations keep no 学籍号 in plain.
#include "app/identification.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "app/cycles.h"
#include "app/demo.h"
#include "app/demo_test_util.h"
#include "core/masking.h"
#include "crypto/key_ring.h"
#include "crypto/sm3.h"
#include "identify/engine.h"
#include "identify/output.h"
#include "io/csv_reader.h"

namespace zizhu::app {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Identification : public testing::DemoCounty {
 protected:
  Actor county_officer(store::Store& store) { return actor_at(store, demo_.county_code, "county_officer"); }
};

TEST_F(Identification, TheServerRunEqualsTheFileRunOnTheExportedData) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  const Actor county = county_officer(store);
  const int64_t cycle_id = demo_.objects.cycle_own;

  // Not while applications are open.
  auto early = run_identification(*app_, store, county, cycle_id, std::nullopt);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, "STATE_CONFLICT");
  ASSERT_TRUE(close_applications(*app_, store, county, cycle_id));

  auto run = run_identification(*app_, store, county, cycle_id, std::nullopt);
  ASSERT_TRUE(run) << run.error().describe();
  EXPECT_EQ(run->students, 900);
  EXPECT_GT(run->results, 0);

  // The same data as files, through the command's path.
  auto cycle = store.get_cycle(cycle_id);
  ASSERT_TRUE(cycle && *cycle);
  const std::string files = (dir_ / "export").string();
  ASSERT_TRUE(export_cycle_files(store, **cycle, std::nullopt, files));
  EXPECT_EQ(std::filesystem::status(files).permissions() & std::filesystem::perms::all, std::filesystem::perms::owner_all);
  auto policy = load_policy(files + "/policy.toml");
  ASSERT_TRUE(policy) << policy.error().describe();
  identify::InputPaths paths;
  paths.students = files + "/students.csv";
  paths.lists = {files + "/lists.csv"};
  paths.applications = files + "/applications.csv";
  paths.budgets = files + "/budgets.csv";
  auto data = identify::load_dataset(paths, *policy, 2);
  ASSERT_TRUE(data) << data.error().describe();
  const identify::Outcome out = identify::decide(*data, *policy, 1);
  const std::string outputs = (dir_ / "out").string();
  std::filesystem::create_directories(outputs);
  ASSERT_TRUE(identify::write_outputs(outputs, *data, *policy, out));
  const std::string results_csv = read_file(outputs + "/results.csv");
  EXPECT_EQ(crypto::to_hex(crypto::sm3(results_csv)), run->results_sm3);
  EXPECT_EQ(crypto::to_hex(crypto::sm3(read_file(outputs + "/schools.csv"))), run->schools_sm3);

  // Row by row: what the server keeps is what the file says.
  PageRequest page;
  page.page_size = 500;
  auto rows = identification_results(*app_, store, county, cycle_id, run->id, page);
  ASSERT_TRUE(rows) << rows.error().describe();
  ASSERT_EQ(rows->total, run->results);
  auto reader = io::open_csv(outputs + "/results.csv");
  ASSERT_TRUE(reader);
  io::Row line;
  size_t n = 0;
  int funded = 0;
  while (*(*reader)->next(line)) {
    ASSERT_LT(n, rows->items.size());
    const ResultView& v = rows->items[n++];
    auto text = [&](size_t c) { return std::string(c < line.cells.size() ? line.cells[c].text : ""); };
    EXPECT_EQ(v.student_no, mask_student_no(text(0))) << n;
    EXPECT_EQ(v.student_name, text(1)) << n;
    EXPECT_EQ(v.school_code, text(2)) << n;
    EXPECT_EQ(v.status, text(3)) << n;
    EXPECT_EQ(v.level ? std::to_string(*v.level) : "", text(4)) << n;
    EXPECT_EQ(v.amount, text(5)) << n;
    EXPECT_EQ(std::to_string(v.score), text(6)) << n;
    std::string cats, flags;
    for (const auto& c : v.categories) cats += (cats.empty() ? "" : ";") + c;
    for (const auto& f : v.flags) flags += (flags.empty() ? "" : ";") + f;
    EXPECT_EQ(cats, text(7)) << n;
    EXPECT_EQ(flags, text(8)) << n;
    EXPECT_EQ(v.rank ? std::to_string(*v.rank) : "", text(9)) << n;
    // The explanation is there, about this student, without the plain 学籍号.
    EXPECT_NE(v.explanation.find(mask_student_no(text(0))), std::string::npos) << n;
    EXPECT_EQ(v.explanation.find(text(0)), std::string::npos) << n;
    funded += v.status == "FUNDED";
  }
  EXPECT_EQ(n, rows->items.size());
  EXPECT_GT(funded, 0);
}

TEST_F(Identification, ASchoolRunsForItselfOnly) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  const Actor county = county_officer(store);
  const int64_t cycle_id = demo_.objects.cycle_own;
  ASSERT_TRUE(close_applications(*app_, store, county, cycle_id));
  auto school = store.find_school(demo_.objects.school_own);
  ASSERT_TRUE(school && *school);
  const Actor officer = actor_at(store, demo_.objects.school_own, "school_officer");
  auto run = run_identification(*app_, store, officer, cycle_id, std::nullopt);
  ASSERT_TRUE(run) << run.error().describe();
  EXPECT_EQ(run->school_code, demo_.objects.school_own);
  auto other = run_identification(*app_, store, officer, cycle_id, demo_.objects.school_other);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "NOT_FOUND");
  PageRequest page;
  page.page_size = 500;
  auto rows = identification_results(*app_, store, officer, cycle_id, run->id, page);
  ASSERT_TRUE(rows);
  for (const auto& r : rows->items) EXPECT_EQ(r.school_code, demo_.objects.school_own);
  // The county's run is listed for the school, with the school's rows only.
  auto county_run = run_identification(*app_, store, county, cycle_id, std::nullopt);
  ASSERT_TRUE(county_run);
  auto seen = identification_results(*app_, store, officer, cycle_id, county_run->id, page);
  ASSERT_TRUE(seen);
  EXPECT_LT(seen->total, county_run->results);
  for (const auto& r : seen->items) EXPECT_EQ(r.school_code, demo_.objects.school_own);
}

// The run in the background (issue 7): refused at once when it could not
// run, queued otherwise; the page watches its steps; the run it makes is
// the same as a direct run's; a school sees the county's job that covers it
// and not another school's.
TEST_F(Identification, ABackgroundRunReportsItsStepsAndMakesTheSameRun) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  const Actor county = county_officer(store);
  const Actor officer = actor_at(store, demo_.objects.school_own, "school_officer");
  const int64_t cycle_id = demo_.objects.cycle_own;
  bool existing = true;
  auto early = start_identification_job(*app_, store, officer, cycle_id, std::nullopt, &existing);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, "STATE_CONFLICT");
  EXPECT_TRUE(app_->jobs().list().empty()) << "nothing queued when refused";
  ASSERT_TRUE(close_applications(*app_, store, county, cycle_id));

  auto job = start_identification_job(*app_, store, officer, cycle_id, std::nullopt, &existing);
  ASSERT_TRUE(job) << job.error().describe();
  EXPECT_FALSE(existing);
  EXPECT_EQ(job->scope_code, demo_.objects.school_own);
  // Watched until done; every step seen is one of the six, in order.
  int last_step = 0, last_percent = 0;
  JobStatus now;
  for (int i = 0; i < 6000; ++i) {
    auto seen = identification_job(*app_, store, officer, job->id);
    ASSERT_TRUE(seen) << seen.error().describe();
    now = *seen;
    EXPECT_GE(now.step, last_step);
    EXPECT_GE(now.percent(), last_percent);
    last_step = now.step;
    last_percent = now.percent();
    EXPECT_LE(now.done, now.total);
    if (now.state == JobState::kDone || now.state == JobState::kFailed) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(now.state, JobState::kDone) << now.error_message;
  EXPECT_EQ(now.step, 6);
  EXPECT_EQ(now.steps, 6);
  EXPECT_EQ(now.percent(), 100);
  EXPECT_EQ(now.step_weights.size(), 6u);
  ASSERT_TRUE(now.result_id);
  auto runs = identification_runs(*app_, store, officer, cycle_id);
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].id, *now.result_id);
  EXPECT_EQ((*runs)[0].school_code, demo_.objects.school_own);
  auto direct = run_identification(*app_, store, officer, cycle_id, std::nullopt);
  ASSERT_TRUE(direct);
  EXPECT_EQ(direct->results_sm3, (*runs)[0].results_sm3);

  // The jobs each user may watch.
  auto listed = identification_jobs(*app_, store, officer, cycle_id);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  auto county_job = start_identification_job(*app_, store, county, cycle_id, std::nullopt, &existing);
  ASSERT_TRUE(county_job);
  auto other_job = start_identification_job(*app_, store, county, cycle_id, demo_.objects.school_other, &existing);
  ASSERT_TRUE(other_job);
  EXPECT_TRUE(identification_job(*app_, store, officer, county_job->id)) << "the county's run covers the school";
  auto hidden = identification_job(*app_, store, officer, other_job->id);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, "NOT_FOUND");
  auto county_sees = identification_jobs(*app_, store, county, cycle_id);
  ASSERT_TRUE(county_sees);
  EXPECT_EQ(county_sees->size(), 3u);
  // Both finish (the fixture removes the database after the test).
  for (int64_t id : {county_job->id, other_job->id}) {
    for (int i = 0; i < 6000; ++i) {
      auto j = app_->jobs().get(id);
      if (j && j->state != JobState::kQueued && j->state != JobState::kRunning) {
        EXPECT_EQ(j->state, JobState::kDone) << j->error_message;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

}  // namespace
}  // namespace zizhu::app
