// zizhu identify: the identification run of identify.md over files.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/policy.h"
#include "identify/engine.h"
#include "identify/explain.h"
#include "identify/load.h"
#include "identify/output.h"

namespace zizhu::cli {
namespace {

struct IdentifyOptions {
  std::string policy, students, lists, applications, history, budgets, out, explain;
  int threads = 0;
  bool xlsx = false;
  bool verbose = false;
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> parts;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, ','))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

int cannot_start(const Error& e) {
  std::cerr << "zizhu identify: " << (e.message.find(e.where.file) != std::string::npos ? e.message : e.describe())
            << "\n";
  return kExitCannotStart;
}

int run_identify(const IdentifyOptions& o) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const bool progress = o.verbose || isatty(STDERR_FILENO);
  auto say = [&](const char* what) {
    if (progress) std::cerr << "zizhu identify: " << what << "\n";
  };
  auto policy = load_policy(o.policy);
  if (!policy) return cannot_start(policy.error());
  identify::InputPaths paths;
  paths.students = o.students;
  paths.lists = split_commas(o.lists);
  if (paths.lists.empty()) return cannot_start(Error::make("ARGS", "--lists 需要至少一个文件 (needs at least one file)"));
  if (!o.applications.empty()) paths.applications = o.applications;
  if (!o.history.empty()) paths.history = o.history;
  if (!o.budgets.empty()) paths.budgets = o.budgets;

  const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  say("读取输入文件 (reading input)…");
  auto data = identify::load_dataset(paths, *policy, threads);
  if (!data) return cannot_start(data.error());
  const auto t1 = Clock::now();
  say("识别与分配 (deciding)…");
  const identify::Outcome outcome = identify::decide(*data, *policy, threads);
  const auto t2 = Clock::now();

  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec) {
    return cannot_start(Error::make("IO", "无法创建输出目录 (cannot create the output folder) " + o.out + ": " +
                                              ec.message()));
  }
  say("写出结果 (writing results)…");
  if (auto w = identify::write_outputs(o.out, *data, *policy, outcome); !w) {
    std::cerr << "zizhu identify: " << w.error().describe() << "\n";
    return kExitFailed;
  }
  if (o.xlsx) {
    if (auto w = identify::write_results_xlsx(o.out + "/results.xlsx", *data, *policy, outcome); !w) {
      std::cerr << "zizhu identify: " << w.error().describe() << "\n";
      return kExitFailed;
    }
  }
  const auto t3 = Clock::now();
  if (!o.explain.empty()) {
    auto text = identify::explain_student(o.explain, *data, *policy, outcome);
    if (!text) {
      std::cerr << "zizhu identify: " << text.error().message << "\n";
      return kExitFailed;
    }
    std::cout << *text;
  }
  if (o.verbose) {
    auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
    int64_t funded = 0;
    for (const auto& s : outcome.schools) funded += s.funded;
    std::cout << "名册行 roster rows: " << data->roster_rows << ", 接受 accepted: " << data->students.size()
              << ", 名单 list entries: " << data->lists.size() << ", 申请 applications: " << data->applications.size()
              << ", 拒收行 rejected rows: " << data->rejects.size() << "\n"
              << "学校 schools: " << data->school_codes.size() << ", 资助 funded: " << funded << "\n"
              << "用时 time: read " << ms(t1 - t0) << " ms, decide " << ms(t2 - t1) << " ms, write " << ms(t3 - t2)
              << " ms\n";
  }
  return kExitOk;
}

}  // namespace

void add_identify_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<IdentifyOptions>();
  auto* cmd = app.add_subcommand("identify", "精准识别：名册与部门名单比对、评分、分配预算 (the identification run)");
  cmd->add_option("--policy", opts->policy, "policy TOML file")->required();
  cmd->add_option("--students", opts->students, "roster (学生名册), .csv or .xlsx")->required();
  cmd->add_option("--lists", opts->lists, "department lists (部门名单), comma-separated")->required();
  cmd->add_option("--applications", opts->applications, "applications (资助申请)");
  cmd->add_option("--history", opts->history, "aid already paid this school year (已资助记录)");
  cmd->add_option("--budgets", opts->budgets, "school budgets (学校资助预算)");
  cmd->add_option("--out", opts->out, "output folder (created)")->required();
  cmd->add_option("--threads", opts->threads, "worker threads (default: all cores)");
  cmd->add_flag("--xlsx", opts->xlsx, "also write results.xlsx with Chinese headers");
  cmd->add_option("--explain", opts->explain, "explain the decision for one 学籍号");
  cmd->add_flag("--verbose", opts->verbose, "print a summary");
  cmd->callback([opts, &exit_code] { exit_code = run_identify(*opts); });
}

}  // namespace zizhu::cli
