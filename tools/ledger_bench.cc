// ledger_bench: durable append throughput of EventLog against raw RocksDB on the same machine,
// in the same run. Not a test: it prints figures and ratios (README, "Benchmark").
//
// usage: ledger_bench [--dir DIR] [--seconds N]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "ledger/event_log.h"
#include "ledger/record_format.h"
#include "ledger/sha256.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "tools/cli_flags.h"

namespace salesledger {
namespace {

constexpr size_t kEventBytes = 200;

// An event of about kEventBytes serialized, like a log_visit with a short note.
v1::Event SampleEvent(int thread, int i) {
  v1::Event e;
  e.set_actor_id(absl::StrCat("gw", thread % 100));
  e.set_project_id("BJF");
  e.set_policy_version(1);
  e.mutable_genesis()->set_ledger_id(std::string(kEventBytes - 80, 'x') + absl::StrCat(i));
  return e;
}

struct Result {
  double per_second = 0;
  absl::Duration p50, p99;
};

Result RawRocksDb(const std::string& path, absl::Duration duration) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  if (!rocksdb::DB::Open(options, path, &db).ok()) std::abort();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  // The same bytes EventLog stores: ~200 bytes of event plus its 32-byte hash.
  const std::string value(kEventBytes + kHashSize, 'v');
  uint64_t seq = 0;
  const absl::Time start = absl::Now(), end = start + duration;
  while (absl::Now() < end) {
    rocksdb::WriteBatch batch;
    for (int i = 0; i < 64; ++i) batch.Put(record_format::EncodeSeq(++seq), value);
    if (!db->Write(sync, &batch).ok()) std::abort();
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  delete db;
  return Result{seq / seconds, {}, {}};
}

// RocksDB's own group commit: `threads` writers each Put one record with sync = true.
Result RawRocksDbWriters(const std::string& path, int threads, absl::Duration duration) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  if (!rocksdb::DB::Open(options, path, &db).ok()) std::abort();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  const std::string value(kEventBytes + kHashSize, 'v');
  std::atomic<uint64_t> seq{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  const absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        if (!db->Put(sync, record_format::EncodeSeq(++seq), value).ok()) std::abort();
      }
    });
  }
  absl::SleepFor(duration);
  stop = true;
  for (auto& w : workers) w.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  delete db;
  return Result{seq / seconds, {}, {}};
}

Result Appenders(const std::string& path, int threads, absl::Duration duration) {
  EventLogOptions options;
  options.path = path;
  auto log = EventLog::Open(options);
  if (!log.ok()) std::abort();
  std::atomic<bool> stop{false};
  std::vector<std::vector<absl::Duration>> latencies(threads);
  std::vector<std::thread> workers;
  const absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        const std::string id = absl::StrCat(t, "-", i);
        const absl::Time begin = absl::Now();
        if (!(*log)->AppendEvent(id, Sha256(id), SampleEvent(t, i)).ok()) std::abort();
        latencies[t].push_back(absl::Now() - begin);
      }
    });
  }
  absl::SleepFor(duration);
  stop = true;
  for (auto& w : workers) w.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::vector<absl::Duration> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  return Result{all.size() / seconds, all[all.size() / 2], all[all.size() * 99 / 100]};
}

}  // namespace
}  // namespace salesledger

int main(int argc, char** argv) {
  salesledger::CliFlags flags({
      {"dir", std::filesystem::temp_directory_path().string() + "/ledger_bench", "scratch directory (emptied)"},
      {"seconds", "3", "how long each measurement runs"},
  });
  if (absl::Status s = flags.Parse(argc, argv); !s.ok() || flags.help()) {
    std::cout << "usage: ledger_bench [flags]\n" << flags.Usage();
    return s.ok() ? 0 : 2;
  }
  const std::string dir = flags.Get("dir");
  const absl::Duration duration = absl::Seconds(std::stoi(flags.Get("seconds")));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  std::cout << "ledger_bench: " << std::thread::hardware_concurrency() << " cores, " << flags.Get("seconds")
            << " s per figure, data in " << dir << "\n\n";
  const auto raw = salesledger::RawRocksDb(dir + "/raw", duration);
  std::cout << absl::StrFormat("%-44s %12s %10s %10s %8s\n", "measurement", "records/s", "p50", "p99", "vs raw");
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %8s\n",
                               "raw RocksDB, 1 thread, sync batches of 64", raw.per_second, "-", "-", "1.00x");
  const auto raw64 = salesledger::RawRocksDbWriters(dir + "/raw64", 64, duration);
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n", "raw RocksDB, 64 threads, 1 synced Put each",
                               raw64.per_second, "-", "-", raw64.per_second / raw.per_second);
  for (int threads : {1, 8, 64}) {
    const auto r = salesledger::Appenders(absl::StrCat(dir, "/log", threads), threads, duration);
    std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n",
                                 absl::StrCat("EventLog durable appends, ", threads, " appenders"), r.per_second,
                                 absl::FormatDuration(r.p50), absl::FormatDuration(r.p99),
                                 r.per_second / raw.per_second);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
