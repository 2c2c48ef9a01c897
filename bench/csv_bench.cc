// CSV reading speed on the roster format (identify.md's students table):
// the streaming reader on one thread (issue 2: >= 300 MB/s on one core), and
// the chunked parser with 1 and 2 threads. Every cell's text is touched.
//
//   build-csv/csv_bench [--benchmark_filter=...]   (ZIZHU_CSV_BENCH_MB sets the size, default 200)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "io/csv_chunks.h"
#include "io/csv_reader.h"

namespace {

using zizhu::io::Row;

// A small fast generator (xorshift); the data need only look realistic.
struct Rng {
  uint64_t s = 88172645463325252ull;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  uint64_t below(uint64_t n) { return next() % n; }
};

void digits(std::string& out, Rng& rng, int n) {
  for (int i = 0; i < n; ++i) out += static_cast<char>('0' + rng.below(10));
}

const char* const kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "欧阳", "诸葛"};
const char* const kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
                              "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "䶮", "喆", "堃"};

void name(std::string& out, Rng& rng) {
  out += kSurnames[rng.below(std::size(kSurnames))];
  const uint64_t n = 1 + rng.below(2);
  for (uint64_t i = 0; i < n; ++i) out += kGiven[rng.below(std::size(kGiven))];
}

void id_number(std::string& out, Rng& rng) {
  out += "43";
  digits(out, rng, 4);
  out += "20";
  out += static_cast<char>('0' + rng.below(2));
  digits(out, rng, 1);
  out += "0";
  out += static_cast<char>('1' + rng.below(9));
  out += "1";
  out += static_cast<char>('0' + rng.below(9));
  digits(out, rng, 3);
  if (rng.below(11) == 0) {
    out += 'X';
  } else {
    digits(out, rng, 1);
  }
}

const std::string& roster_path() {
  static const std::string path = [] {
    const char* mb_env = std::getenv("ZIZHU_CSV_BENCH_MB");
    const size_t target = static_cast<size_t>(mb_env != nullptr ? std::atol(mb_env) : 200) << 20;
    const std::string p = "/tmp/zizhu_csv_bench_roster.csv";
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    std::string buf =
        "学籍号,姓名,身份证号,性别,出生日期,学校标识码,年级,班级,是否寄宿,监护人姓名,监护人身份证号,银行卡号\n";
    Rng rng;
    size_t written = 0;
    while (written + buf.size() < target) {
      std::string id;
      id_number(id, rng);
      buf += 'G';
      buf += id;
      buf += ',';
      name(buf, rng);
      buf += ',';
      buf += id;
      buf += rng.below(2) != 0 ? ",男," : ",女,";
      buf += id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2);
      buf += ",43";
      digits(buf, rng, 8);
      buf += ',';
      buf += static_cast<char>('1' + rng.below(9));
      buf += ',';
      buf += std::to_string(1 + rng.below(12)) + "班";
      buf += rng.below(4) == 0 ? ",是," : ",否,";
      name(buf, rng);
      buf += ',';
      id_number(buf, rng);
      buf += ",6217";
      digits(buf, rng, 15);
      buf += '\n';
      if (buf.size() > (1u << 20)) {
        f << buf;
        written += buf.size();
        buf.clear();
      }
    }
    f << buf;
    return p;
  }();
  return path;
}

int64_t file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  return static_cast<int64_t>(f.tellg());
}

// Touches every cell: its length and first byte.
uint64_t consume(zizhu::io::TableReader& r) {
  uint64_t sum = 0;
  Row row;
  for (;;) {
    auto got = r.next(row);
    if (!got || !*got) break;
    for (const auto& c : row.cells) sum += c.text.size() + (c.text.empty() ? 0u : static_cast<unsigned char>(c.text[0]));
  }
  return sum;
}

void BM_CsvStreamingReader(benchmark::State& state) {
  const std::string& path = roster_path();
  for (auto _ : state) {
    auto r = zizhu::io::open_csv(path);
    if (!r) {
      state.SkipWithError(r.error().describe().c_str());
      return;
    }
    benchmark::DoNotOptimize(consume(**r));
  }
  state.SetBytesProcessed(state.iterations() * file_bytes(path));
}
BENCHMARK(BM_CsvStreamingReader)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void BM_CsvChunked(benchmark::State& state) {
  const std::string& path = roster_path();
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto file = zizhu::io::CsvFileChunks::open(path, threads);
    if (!file) {
      state.SkipWithError(file.error().describe().c_str());
      return;
    }
    std::vector<uint64_t> sums(static_cast<size_t>(threads));
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
      pool.emplace_back([&, i] {
        auto view = file->chunk(i);
        sums[static_cast<size_t>(i)] = consume(view);
      });
    }
    for (auto& t : pool) t.join();
    benchmark::DoNotOptimize(sums.data());
  }
  state.SetBytesProcessed(state.iterations() * file_bytes(path));
}
BENCHMARK(BM_CsvChunked)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
