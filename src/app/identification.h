// The identification run in the server (aid-cycle.md REVIEW, identify.md):
// the cycle's data in the database — roster, the departments' lists, the
// submitted applications, the budgets — read as the tables `zizhu identify`
// reads from files (io::MemoryTable, the same loader and engine), decided,
// and kept as a run with a row per student and the explanation for each.
// A run is never changed; a new run supersedes it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/background_jobs.h"
#include "app/paging.h"
#include "core/error.h"
#include "identify/load.h"
#include "store/store.h"

namespace zizhu::app {

// The cycle's data as the run's input tables, for the county (no school) or
// one school of it. History (本学年已资助记录) is not held in the database
// yet: the tables have none (docs/aid-cycle.md).
struct CycleTables {
  identify::InputTables tables;
  int64_t students = 0;
  // 学籍号 -> (student id, school id): which database rows the run's rows are.
  std::unordered_map<std::string, std::pair<int64_t, int64_t>> ids;
};
// The roster is read school by school (in school-code order, the order the
// run's rows are numbered in); `schools_read(done, total)` is told after each.
Result<CycleTables> cycle_tables(store::Store& store, const store::Cycle& cycle,
                                 const std::optional<store::School>& school,
                                 const std::function<void(int64_t, int64_t)>& schools_read = {});

// The same tables written as the files `zizhu identify` reads (students.csv,
// lists.csv, applications.csv, budgets.csv) and policy.toml, into `dir`
// (created 0700; the files 0600: they hold plain ID numbers).
Result<void> export_cycle_files(store::Store& store, const store::Cycle& cycle,
                                const std::optional<store::School>& school, const std::string& dir);

// The cycle and the school (none: the whole county) a run covers. A county
// officer names one of its schools or none; a school officer's run is always
// their own school. NOT_FOUND when the actor may not see the cycle or school.
struct RunScope {
  store::Cycle cycle;
  std::optional<store::School> school;
};
Result<RunScope> run_scope(store::Store& store, const Actor& actor, int64_t cycle_id,
                           const std::optional<std::string>& school_code);

struct RunView {
  int64_t id = 0;
  int64_t cycle_id = 0;
  std::string school_code;  // empty: the whole county
  int policy_version = 0;
  int64_t started_at_ms = 0, finished_at_ms = 0;
  int64_t students = 0, results = 0, rejects = 0;
  std::string results_sm3, schools_sm3;
};

// REVIEW only. A county officer runs it for the county or one of its
// schools; a school officer for their own school (school_code empty means
// that school). With `progress`, reports its six steps there and stops
// (saving nothing) when the progress says the server is stopping.
Result<RunView> run_identification(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                   const std::optional<std::string>& school_code, JobProgress* progress = nullptr);

// The same run in the background (app.jobs()): checks at once what can be
// checked before the work starts (the cycle is visible and in REVIEW, the
// scope is the actor's), then queues it. A run of the same cycle and scope
// still queued or running is answered instead of a second one
// (`*existing`).
Result<JobStatus> start_identification_job(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                           const std::optional<std::string>& school_code, bool* existing);
// The identification jobs of a cycle the actor may watch: those of its
// scope, and the county's runs that cover its school. Newest first.
Result<std::vector<JobStatus>> identification_jobs(App& app, store::Store& store, const Actor& actor,
                                                   int64_t cycle_id);
Result<JobStatus> identification_job(App& app, store::Store& store, const Actor& actor, int64_t job_id);
Result<std::vector<RunView>> identification_runs(App& app, store::Store& store, const Actor& actor,
                                                 int64_t cycle_id);

struct ResultView {
  int64_t row_no = 0;
  std::optional<int64_t> student_id;
  std::string student_name;
  std::string student_no;  // masked
  std::string school_code;
  std::string status;
  std::optional<int> level;
  std::string amount;  // yuan, two decimals; empty unless FUNDED
  int score = 0;
  std::vector<std::string> categories;
  std::vector<std::string> flags;
  std::optional<int> rank;
  std::string explanation;
};
// The staff's search of a run's rows: one school of the scope, and the
// store's filters (status, level, flag, name or masked 学籍号).
struct ResultQuery {
  std::optional<std::string> school_code;
  store::ResultFilter filter;
  bool empty() const { return !school_code && filter.empty(); }
};

// The rows of a run the actor may see (the schools in scope) that the
// query asks for.
Result<Page<ResultView>> identification_results(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                                int64_t run_id, const PageRequest& page,
                                                const ResultQuery& query = {});

// The rows of one run (`run_id`), or of the newest run the actor may see
// when none is given; no run yet is an empty answer, not an error.
struct RunResults {
  std::optional<RunView> run;
  Page<ResultView> rows;     // rows.total: the rows the query finds
  int64_t scope_total = 0;   // the run's rows the actor may see, unfiltered
};
Result<RunResults> run_results(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                               std::optional<int64_t> run_id, const PageRequest& page,
                               const ResultQuery& query = {});

}  // namespace zizhu::app
