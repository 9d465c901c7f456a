// ledger_bench: durable append throughput of EventLog against raw RocksDB, of ledgerd over gRPC against a
// PostgreSQL peer, on the same machine, in the same run. Not a test: it prints figures and ratios
// (README, "Benchmark").
//
// usage: ledger_bench [--dir DIR] [--seconds N] [--peer postgresql] [--log-store CONNINFO] (--help lists
// every flag)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <iostream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "ledger/event_log.h"
#include "ledger/record_format.h"
#include "base/sha256.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "grpcpp/grpcpp.h"
#include "base/time_proto.h"
#include "projections/projector.h"
#include "queries/customers.h"
#include "projections/read_ahead.h"
#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "salesledger/v1/query.grpc.pb.h"
#include "services/ledger.h"
#include "services/scenario_line.h"
#include "tools/cli_flags.h"
#include "tools/postgres_peer.h"
#include "services/min_seq_interceptor.h"
#include "libpq-fe.h"

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

struct Latencies {
  double per_second = 0;
  absl::Duration p50, p99, p999;
};

Latencies Summarize(std::vector<absl::Duration> all, absl::Duration elapsed) {
  std::sort(all.begin(), all.end());
  if (all.empty()) return {};
  return {all.size() / absl::ToDoubleSeconds(elapsed), all[all.size() / 2], all[all.size() * 99 / 100],
          all[std::min(all.size() - 1, all.size() * 999 / 1000)]};
}

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
  std::vector<std::vector<absl::Duration>> latencies(threads);
  std::vector<std::thread> workers;
  const absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (!stop.load(std::memory_order_relaxed)) {
        const absl::Time begin = absl::Now();
        if (!db->Put(sync, record_format::EncodeSeq(++seq), value).ok()) std::abort();
        latencies[t].push_back(absl::Now() - begin);
      }
    });
  }
  absl::SleepFor(duration);
  stop = true;
  for (auto& w : workers) w.join();
  const absl::Duration elapsed = absl::Now() - start;
  delete db;
  std::vector<absl::Duration> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  const Latencies l = Summarize(std::move(all), elapsed);
  return Result{l.per_second, l.p50, l.p99};
}

Result Appenders(const std::string& path, int threads, absl::Duration duration, bool tree = true) {
  EventLogOptions options;
  options.path = path;
  options.merkle_tree = tree;
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

// ---- personal data (issue 20): registrations sealed and in the clear, same run ----

struct SealingFigures {
  double append = 0, rebuild = 0, list_ms = 0;
};

// `customers` register_customer commands through the Ledger in batches of 100 (as an import sends
// them), then a fold from scratch of that log, then ListCustomers pages of 1000 as ADMIN (every
// name and phone opened when sealed).
SealingFigures Registrations(const std::string& data_dir, bool sealed, int customers) {
  SealingFigures f;
  LedgerOptions options;
  options.data_dir = data_dir;
  options.checkpoint_every_events = 0;
  options.seal_personal_data = sealed;
  auto ledger = Ledger::Open(options);
  if (!ledger.ok()) std::abort();
  auto command = [](const std::string& cmd, const std::string& args, const std::string& id) {
    auto line = ParseScenarioLine(absl::StrCat(R"({"cmd":")", cmd, R"(","args":)", args, "}"), id);
    if (!line.ok()) std::abort();
    return line->command;
  };
  for (const auto& [cmd, args] : std::vector<std::pair<std::string, std::string>>{
           {"define_project", R"({"project_id":"BJF","name":"滨江府"})"},
           {"add_person", R"({"person_id":"gw01","name":"g","roles":["CONSULTANT"],"project_ids":["BJF"]})"}}) {
    if (!(*ledger)->Execute("admin", command(cmd, args, "setup-" + cmd)).ok()) std::abort();
  }
  const absl::Time start = absl::Now();
  for (int first = 0; first < customers; first += 100) {
    std::vector<v1::Command> batch;
    for (int i = first; i < std::min(customers, first + 100); ++i) {
      batch.push_back(command("register_customer",
                              absl::StrCat(R"({"project_id":"BJF","customer_id":"C)", i, R"(","name":"客户)", i,
                                           R"(","phone":")", 13000000000LL + i,
                                           R"(","consultant_id":"gw01","source":"VISIT"})"),
                              absl::StrCat("r", i)));
    }
    std::vector<const v1::Command*> pointers;
    for (const auto& c : batch) pointers.push_back(&c);
    for (const auto& outcome : (*ledger)->ExecuteAll("gw01", pointers)) {
      if (!outcome.ok()) std::abort();
    }
  }
  f.append = customers / absl::ToDoubleSeconds(absl::Now() - start);
  absl::Time fold = absl::Now();
  if (!FoldFromScratch((*ledger)->log()).ok()) std::abort();
  f.rebuild = ((*ledger)->log().GetHead().seq) / absl::ToDoubleSeconds(absl::Now() - fold);
  const absl::Time list = absl::Now();
  v1::ListCustomersRequest request;
  request.set_project_id("BJF");
  request.set_page_size(1000);
  absl::StatusOr<v1::ListCustomersResponse> page = (*ledger)->Read([&](const State& state) {
    return ListCustomers(state, request, state.org.people.at("admin"), (*ledger)->personal_fields());
  });
  if (!page.ok() || page->customers_size() != std::min(customers, 1000)) std::abort();
  f.list_ms = absl::ToDoubleMilliseconds(absl::Now() - list);
  return f;
}

void SealingBenchmark(const std::string& dir, int customers) {
  std::cout << "\npersonal data (issue 20): " << customers
            << " register_customer through the Ledger in batches of 100, sealed and in the clear, alternating\n";
  SealingFigures sealed, clear;
  for (int round = 0; round < 2; ++round) {
    for (const bool seal : {false, true}) {
      const SealingFigures f = Registrations(absl::StrCat(dir, "/sealing-", round, seal), seal, customers);
      SealingFigures& sum = seal ? sealed : clear;
      sum.append += f.append / 2, sum.rebuild += f.rebuild / 2, sum.list_ms += f.list_ms / 2;
    }
  }
  std::cout << absl::StrFormat("%-44s %12s %12s %8s\n", "measurement (mean of 2 runs each)", "sealed", "in the clear", "ratio");
  std::cout << absl::StrFormat("%-44s %12.0f %12.0f %7.2fx\n", "registrations appended/s", sealed.append, clear.append,
                               sealed.append / clear.append);
  std::cout << absl::StrFormat("%-44s %12.0f %12.0f %7.2fx\n", "rebuild events/s (decrypts nothing)", sealed.rebuild,
                               clear.rebuild, sealed.rebuild / clear.rebuild);
  std::cout << absl::StrFormat("%-44s %10.1fms %10.1fms %7.2fx\n", "ListCustomers, 1000 opened as ADMIN", sealed.list_ms,
                               clear.list_ms, sealed.list_ms / clear.list_ms);
}

// ---- folding: rebuild and verification against raw sequential iteration ----

// Fills `data_dir` with a cast (through Ledger, so it is valid) and then `events` log_visit and
// record_payment events appended by 64 threads, ~20% of them late.
void GenerateLedger(const std::string& data_dir, uint64_t events) {
  {
    LedgerOptions options;
    options.data_dir = data_dir;
    options.checkpoint_every_events = 0;
    auto ledger = Ledger::Open(options);
    if (!ledger.ok()) std::abort();
    int step = 0;
    auto run = [&](const std::string& actor, const std::string& cmd, const std::string& args) {
      auto line = ParseScenarioLine(absl::StrCat(R"({"cmd":")", cmd, R"(","args":)", args, "}"), absl::StrCat("setup-", ++step));
      if (!line.ok() || !(*ledger)->Execute(actor, line->command).ok()) std::abort();
    };
    run("admin", "define_project", R"({"project_id":"BJF","name":"滨江府"})");
    run("admin", "add_person", R"({"person_id":"xs01","name":"x","roles":["SALES_LEAD"],"project_ids":["BJF"]})");
    run("admin", "add_person", R"({"person_id":"gw01","name":"g","roles":["CONSULTANT"],"supervisor_id":"xs01","project_ids":["BJF"]})");
    run("admin", "add_person", R"({"person_id":"sy01","name":"s","roles":["CASHIER"],"supervisor_id":"xs01","project_ids":["BJF"]})");
    run("gw01", "register_customer", R"({"project_id":"BJF","customer_id":"C1","name":"c","phone":"13800000001","consultant_id":"gw01","source":"VISIT"})");
  }
  EventLogOptions options;
  options.path = data_dir + "/ledger";
  auto log = EventLog::Open(options);
  if (!log.ok()) std::abort();
  std::atomic<uint64_t> next{0};
  std::vector<std::thread> workers;
  const absl::Time base = absl::Now();
  for (int t = 0; t < 64; ++t) {
    workers.emplace_back([&] {
      for (uint64_t i = next++; i < events; i = next++) {
        v1::Event e;
        e.set_actor_id(i % 5 == 0 ? "sy01" : "gw01");
        e.set_project_id("BJF");
        e.set_policy_version(1);
        const absl::Time occurred = base - absl::Minutes(i % 5 == 1 ? 2000 : 10);
        *e.mutable_occurred_at() = ToProto(occurred);
        const std::string id = absl::StrCat("b", i);
        if (i % 5 == 0) {
          auto* p = e.mutable_record_payment();
          p->set_project_id("BJF");
          p->set_payment_id(id);
          p->set_customer_id("C1");
          p->set_kind(v1::RecordPaymentRequest::EARNEST);
          p->set_amount_fen(100000);
          p->set_method(v1::RecordPaymentRequest::CASH);
          e.set_receipt_no(absl::StrCat("BJF-R", i));
        } else {
          auto* v = e.mutable_log_visit();
          v->set_project_id("BJF");
          v->set_visit_id(id);
          v->set_customer_id("C1");
          v->set_consultant_id("gw01");
          v->set_kind(v1::LogVisitRequest::VISIT);
          v->set_note("客户看了样板间,对三房感兴趣");
        }
        if (!(*log)->AppendEvent(id, Sha256(id), e).ok()) std::abort();
      }
    });
  }
  for (auto& w : workers) w.join();
  // Reopened once, so that replaying the last appends from RocksDB's write-ahead log (a cost of
  // the generator's shutdown, paid once) is not counted in the rebuild measured next.
  log->reset();
  auto reopened = EventLog::Open(options);
  if (!reopened.ok()) std::abort();
  // RocksDB compacts what the bulk load left in level 0 in the background: every figure is taken
  // after that work, on a settled store, so that none of them pays for it by chance.
  (*reopened)->SettleCompactions();
}

// The ledger's RocksDB opened read-only with every family, straight through RocksDB's API: the
// baselines the ledger's reads are compared with.
class RawReader {
 public:
  explicit RawReader(const std::string& path) {
    std::vector<std::string> names;
    if (!rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok()) std::abort();
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
    if (!rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, families, &handles_, &db_).ok()) std::abort();
    for (auto* h : handles_) {
      if (h->GetName() == record_format::kEventsFamily) events_ = h;
    }
  }
  ~RawReader() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    delete db_;
  }
  rocksdb::DB* db() const { return db_; }
  rocksdb::ColumnFamilyHandle* events() const { return events_; }

 private:
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
};

double RawIteration(const std::string& path) {
  RawReader raw(path);
  rocksdb::DB* db = raw.db();
  rocksdb::ColumnFamilyHandle* events = raw.events();
  const absl::Time start = absl::Now();
  uint64_t n = 0, bytes = 0;
  rocksdb::ReadOptions ro;
  ro.readahead_size = 2 << 20;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, events));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++n;
    bytes += it->key().size() + it->value().size();
  }
  const double rate = n / absl::ToDoubleSeconds(absl::Now() - start);
  if (bytes == 0) std::abort();
  return rate;
}

// Runs `command`, returning its wall time and peak RSS (KiB) from wait4.
std::pair<absl::Duration, long> Measure(const std::string& command) {
  const absl::Time start = absl::Now();
  std::cout.flush();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  int status = 0;
  struct rusage usage {};
  ::wait4(pid, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::abort();
  return {absl::Now() - start, usage.ru_maxrss};
}

// What `command` prints on stdout; aborts when it fails.
std::string Output(const std::string& command) {
  std::cout.flush();
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) std::abort();
  std::string out;
  char buffer[256];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) out.append(buffer, n);
  if (::pclose(pipe) != 0) std::abort();
  return out;
}

// --restart-of DIR: opens the ledger in DIR as ledgerd does and prints how long its state took
// to be ready, in seconds.
int RestartOf(const std::string& data) {
  LedgerOptions options;
  options.data_dir = data;
  options.checkpoint_every_events = 0;
  auto ledger = Ledger::Open(options);
  if (!ledger.ok()) {
    std::cerr << ledger.status() << "\n";
    return 1;
  }
  std::cout << absl::ToDoubleSeconds((*ledger)->open_time()) << "\n";
  return 0;
}

// ---- the Merkle tree: proofs, verification, rebuild and its bytes, on the generated ledger ----

struct TreeFigures {
  Latencies inclusion, consistency, raw_get;
  double verify = 0, rebuild = 0;
  double merkle_bytes = 0, event_bytes = 0, request_bytes = 0;
};

// Random point reads of events straight from RocksDB: what one proof's O(log n) reads compare to.
Latencies RawGets(const std::string& path, uint64_t events, int count) {
  RawReader raw(path);
  std::mt19937_64 rng(1);
  std::vector<absl::Duration> all;
  std::string value;
  const absl::Time start = absl::Now();
  for (int i = 0; i < count; ++i) {
    const uint64_t seq = std::uniform_int_distribution<uint64_t>(1, events)(rng);
    const absl::Time begin = absl::Now();
    if (!raw.db()->Get(rocksdb::ReadOptions(), raw.events(), record_format::EncodeSeq(seq), &value).ok()) std::abort();
    all.push_back(absl::Now() - begin);
  }
  return Summarize(std::move(all), absl::Now() - start);
}

TreeFigures TreeBenchmark(const EventLogOptions& options, uint64_t events, const std::string& ledgerctl,
                          const std::string& data) {
  TreeFigures f;
  f.raw_get = RawGets(options.path, events, 20000);
  {
    auto log = EventLog::Open(options);
    if (!log.ok()) std::abort();
    const uint64_t size = (*log)->tree_size();
    std::mt19937_64 rng(2);
    std::vector<absl::Duration> inclusion, consistency;
    absl::Time start = absl::Now();
    for (int i = 0; i < 20000; ++i) {
      const uint64_t seq = std::uniform_int_distribution<uint64_t>(1, size)(rng);
      const absl::Time begin = absl::Now();
      if (!(*log)->InclusionProof(seq, size).ok()) std::abort();
      inclusion.push_back(absl::Now() - begin);
    }
    f.inclusion = Summarize(std::move(inclusion), absl::Now() - start);
    start = absl::Now();
    for (int i = 0; i < 20000; ++i) {
      const uint64_t old_size = std::uniform_int_distribution<uint64_t>(1, size)(rng);
      const absl::Time begin = absl::Now();
      if (!(*log)->ConsistencyProof(old_size, size).ok()) std::abort();
      consistency.push_back(absl::Now() - begin);
    }
    f.consistency = Summarize(std::move(consistency), absl::Now() - start);
    start = absl::Now();
    if (!(*log)->VerifyTree().ok()) std::abort();
    f.verify = events / absl::ToDoubleSeconds(absl::Now() - start);
    for (const auto& [family, bytes] : (*log)->BytesByFamily()) {
      if (family == record_format::kMerkleFamily) f.merkle_bytes = bytes;
      if (family == record_format::kEventsFamily) f.event_bytes = bytes;
      if (family == record_format::kRequestsFamily) f.request_bytes = bytes;
    }
  }
  const auto [tree_time, tree_rss] =
      Measure(absl::StrCat(ledgerctl, " rebuild --what tree --data-dir ", data, " >/dev/null 2>&1"));
  f.rebuild = events / absl::ToDoubleSeconds(tree_time);
  return f;
}

// As-of reads (issue 18 item 5) on the generated ledger, its retained checkpoints as ledgerd would
// leave them (four, one at each quarter of the log, kept by the same rule): the state at 20 random
// seqs, each from the nearest checkpoint at or below it, next to the reference of a fold from
// event 1 (what every as-of read cost before) at 3 of those seqs.
struct AsOfFigures {
  Latencies retained, scratch;
};

AsOfFigures AsOfBenchmark(const EventLogOptions& options) {
  auto log = EventLog::Open(options);
  if (!log.ok()) std::abort();
  const uint64_t head = (*log)->GetHead().seq;
  {
    State state;
    for (uint64_t quarter = 1; quarter <= 4; ++quarter) {
      if (!FoldInto(**log, state, head * quarter / 4).ok() || !WriteCheckpoint(**log, state, {}, {.retain = 4}).ok()) {
        std::abort();
      }
    }
  }
  std::mt19937_64 rng(2);
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 20; ++i) seqs.push_back(std::uniform_int_distribution<uint64_t>(1, head)(rng));
  auto time_each = [&](size_t count, auto fold) {
    std::vector<absl::Duration> all;
    const absl::Time start = absl::Now();
    for (size_t i = 0; i < count; ++i) {
      const absl::Time begin = absl::Now();
      absl::StatusOr<State> state = fold(seqs[i]);
      if (!state.ok() || state->head_seq != seqs[i]) std::abort();
      all.push_back(absl::Now() - begin);
    }
    return Summarize(std::move(all), absl::Now() - start);
  };
  AsOfFigures f;
  f.retained = time_each(seqs.size(), [&](uint64_t seq) { return FoldAt(**log, seq); });
  f.scratch = time_each(3, [&](uint64_t seq) { return FoldFromScratch(**log, seq); });
  return f;
}

void FoldBenchmark(const std::string& dir, uint64_t events, const std::string& ledgerctl, const std::string& self) {
  const std::string data = absl::StrCat(dir, "/fold", events);
  std::cout << "\ngenerating " << events << " events..." << std::flush;
  const absl::Time gen = absl::Now();
  GenerateLedger(data, events);
  std::cout << " " << absl::FormatDuration(absl::Now() - gen) << "\n";
  const double raw = RawIteration(data + "/ledger");
  const auto [rebuild_time, rebuild_rss] =
      Measure(absl::StrCat(ledgerctl, " rebuild --what projections --data-dir ", data, " >/dev/null 2>&1"));
  const double rebuild = events / absl::ToDoubleSeconds(rebuild_time);
  EventLogOptions options;
  options.path = data + "/ledger";
  double verify = 0;
  {
    auto log = EventLog::Open(options);
    const absl::Time start = absl::Now();
    if (!log.ok() || !(*log)->VerifyChain(0, 0).ok()) std::abort();
    verify = events / absl::ToDoubleSeconds(absl::Now() - start);
  }
  // Reading and parsing alone (ReadAhead with nothing folded): the ceiling of any fold that parses
  // the log's protobuf records, whatever it does with them.
  double parse = 0;
  {
    auto log = EventLog::Open(options);
    if (!log.ok()) std::abort();
    const absl::Time start = absl::Now();
    ReadAhead reader(**log, 1, (*log)->GetHead().seq);
    while (ReadAhead::Batch* batch = reader.Next()) reader.Recycle(batch);
    if (!reader.status().ok()) std::abort();
    parse = events / absl::ToDoubleSeconds(absl::Now() - start);
  }
  // The fold alone, in this process like the raw iteration: what the ratio compares like for like
  // (the whole-process figure adds opening RocksDB and writing the checkpoint).
  double fold = 0;
  {
    auto log = EventLog::Open(options);
    const absl::Time start = absl::Now();
    auto state = log.ok() ? FoldFromScratch(**log) : absl::StatusOr<State>(log.status());
    if (!state.ok()) std::abort();
    fold = events / absl::ToDoubleSeconds(absl::Now() - start);
  }
  const TreeFigures tree = TreeBenchmark(options, events, ledgerctl, data);
  // In a process of its own, as ledgerd restarts, so that this one's heap (after the folds above)
  // plays no part.
  const absl::Duration restart = absl::Seconds(std::stod(Output(absl::StrCat(self, " --restart-of ", data))));
  const AsOfFigures as_of = AsOfBenchmark(options);
  uint64_t disk = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(data + "/ledger")) {
    if (f.is_regular_file()) disk += f.file_size();
  }
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %8s\n", absl::StrCat("raw RocksDB iteration, ", events, " events"),
                               raw, "-", "-", "1.00x");
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n", "rebuild (ledgerctl rebuild, whole process)", rebuild,
                               "-", "-", rebuild / raw);
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n", "fold (in process, like the raw iteration)", fold,
                               "-", "-", fold / raw);
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n", "  read and parse only (no fold): the ceiling",
                               parse, "-", "-", parse / raw);
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n", "chain verification", verify, "-", "-", verify / raw);
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n", "tree verification (every node from the events)",
                               tree.verify, "-", "-", tree.verify / raw);
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n", "tree rebuild (ledgerctl rebuild --what tree)",
                               tree.rebuild, "-", "-", tree.rebuild / raw);
  std::cout << absl::StrFormat("%-44s %12s %10s %10s\n", "  raw RocksDB Get of one event (reference)", "-",
                               absl::FormatDuration(tree.raw_get.p50), absl::FormatDuration(tree.raw_get.p99));
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s\n", absl::StrCat("inclusion proof at size ", events),
                               tree.inclusion.per_second, absl::FormatDuration(tree.inclusion.p50),
                               absl::FormatDuration(tree.inclusion.p99));
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s\n", absl::StrCat("consistency proof to size ", events),
                               tree.consistency.per_second, absl::FormatDuration(tree.consistency.p50),
                               absl::FormatDuration(tree.consistency.p99));
  std::cout << absl::StrFormat("%-44s %12s %10s %10s\n", "as-of state, 20 random seqs, from retained", "-",
                               absl::FormatDuration(as_of.retained.p50), absl::FormatDuration(as_of.retained.p99));
  std::cout << absl::StrFormat("%-44s %12s %10s %10s\n", "  from event 1 (the reference), 3 of them", "-",
                               absl::FormatDuration(as_of.scratch.p50), absl::FormatDuration(as_of.scratch.p99));
  std::cout << absl::StrFormat("  as-of from the retained checkpoints: p50 %.1fx faster than from event 1\n",
                               absl::ToDoubleSeconds(as_of.scratch.p50) / absl::ToDoubleSeconds(as_of.retained.p50));
  std::cout << absl::StrFormat("  rebuild peak RSS %.1f MiB; restart from checkpoint %s; %.0f bytes on disk per event,\n"
                               "  of which the Merkle tree %.1f (events %.1f, request index %.1f)\n",
                               rebuild_rss / 1024.0, absl::FormatDuration(restart), double(disk) / events,
                               tree.merkle_bytes / events, tree.event_bytes / events, tree.request_bytes / events);
}

// ---- over gRPC: durable entries per second against a real ledgerd ----

struct Server {
  pid_t pid = -1;
  int port = 0;
  std::string token;
  std::shared_ptr<grpc::Channel> channel;
};

// Starts `ledgerd --data-dir data --listen 127.0.0.1:0 extra...` and waits for its port and its
// admin token.
Server StartLedgerd(const std::string& ledgerd, const std::string& data, const std::vector<std::string>& extra = {}) {
  const std::string port_file = data + ".port";
  std::vector<std::string> args = {ledgerd, "--data-dir", data, "--listen", "127.0.0.1:0", "--port-file", port_file};
  args.insert(args.end(), extra.begin(), extra.end());
  Server s;
  std::cout.flush();  // or the child would print our buffered lines again
  s.pid = ::fork();
  if (s.pid == 0) {
    ::freopen("/dev/null", "w", stdout);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(ledgerd.c_str(), argv.data());
    std::_Exit(127);
  }
  for (int i = 0; i < 3000 && s.port == 0; ++i) {
    std::ifstream in(port_file);
    if (!(in >> s.port)) absl::SleepFor(absl::Milliseconds(10));
  }
  if (s.port == 0) {
    std::cerr << "ledger_bench: " << ledgerd << " did not start on " << data << "\n";
    std::abort();
  }
  std::ifstream token(data + "/admin.token");
  token >> s.token;
  s.channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", s.port), grpc::InsecureChannelCredentials());
  return s;
}

void StopLedgerd(const Server& server) {
  ::kill(server.pid, SIGTERM);
  ::waitpid(server.pid, nullptr, 0);
}

// What every gRPC row writes against: project BJF, consultant gw01 with a token, customer C1 and
// unit A1, entered through `channel` as the admin. Returns gw01's bearer token.
std::string SetUpCast(const std::shared_ptr<grpc::Channel>& channel, const std::string& admin_token) {
  auto admin = v1::AdminService::NewStub(channel);
  auto entry = v1::EntryService::NewStub(channel);
  auto admin_call = [&](auto method, auto request) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + admin_token);
    v1::EntryResponse r;
    if (grpc::Status s = ((*admin).*method)(&ctx, request, &r); !s.ok()) {
      std::cerr << "ledger_bench: setting up the cast failed: " << s.error_message() << "\n";
      std::abort();
    }
    return r;
  };
  v1::DefineProjectRequest project;
  project.set_request_id("p");
  project.set_project_id("BJF");
  project.set_name("滨江府");
  admin_call(&v1::AdminService::Stub::DefineProject, project);
  v1::AddPersonRequest person;
  person.set_request_id("gw");
  person.set_person_id("gw01");
  person.set_name("顾");
  person.add_roles(v1::CONSULTANT);
  person.add_roles(v1::CUSTOMER_SERVICE);
  person.add_project_ids("BJF");
  admin_call(&v1::AdminService::Stub::AddPerson, person);
  v1::IssueTokenRequest issue;
  issue.set_request_id("t");
  issue.set_person_id("gw01");
  issue.set_token_id("t");
  const std::string token = admin_call(&v1::AdminService::Stub::IssueToken, issue).token();
  auto entry_call = [&](auto method, auto request) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    v1::EntryResponse r;
    if (!((*entry).*method)(&ctx, request, &r).ok()) std::abort();
  };
  v1::RegisterCustomerRequest customer;
  customer.set_request_id("c");
  customer.set_project_id("BJF");
  customer.set_customer_id("C1");
  customer.set_name("王");
  customer.set_phone("13800000001");
  customer.set_consultant_id("gw01");
  customer.set_source(v1::RegisterCustomerRequest::VISIT);
  entry_call(&v1::EntryService::Stub::RegisterCustomer, customer);
  v1::DefineUnitRequest unit;
  unit.set_request_id("u");
  unit.set_project_id("BJF");
  unit.set_unit_id("A1");
  unit.set_building("A");
  unit.set_floor(1);
  unit.set_room("1");
  unit.set_product_type("住宅");
  unit.set_area_x100(9000);
  unit.set_list_price_fen(100000000);
  entry_call(&v1::EntryService::Stub::DefineUnit, unit);
  return token;
}

// `clients` threads, each with its own stub on `channel`, entering log_visit as gw01 one call at a
// time until Stop(); every entry must be acknowledged. `on_ack`, when set, is called from the
// writer threads with each acknowledged seq and the time of its answer.
class VisitWriters {
 public:
  using OnAck = std::function<void(uint64_t seq, absl::Time answered)>;
  VisitWriters(const std::shared_ptr<grpc::Channel>& channel, const std::string& token, int clients,
               std::atomic<uint64_t>* next, OnAck on_ack = nullptr) {
    for (int c = 0; c < clients; ++c) {
      threads_.emplace_back([this, channel, token, next, on_ack] {
        auto stub = v1::EntryService::NewStub(channel);
        std::vector<absl::Duration> mine;
        while (!stop_) {
          const uint64_t i = (*next)++;
          v1::LogVisitRequest visit;  // a realistic entry: ~200 bytes with its note
          visit.set_request_id(absl::StrCat("v", i));
          visit.set_project_id("BJF");
          visit.set_visit_id(absl::StrCat("V", i));
          visit.set_customer_id("C1");
          visit.set_consultant_id("gw01");
          visit.set_kind(v1::LogVisitRequest::VISIT);
          visit.set_intent(v1::LogVisitRequest::HIGH);
          visit.set_note("客户看了样板间,对三房感兴趣,周末带家人再来");
          visit.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
          grpc::ClientContext ctx;
          ctx.AddMetadata("authorization", "Bearer " + token);
          v1::EntryResponse r;
          const absl::Time begin = absl::Now();
          if (grpc::Status s = stub->LogVisit(&ctx, visit, &r); !s.ok()) {
            std::cerr << "ledger_bench: log_visit failed: " << s.error_message() << "\n";
            std::abort();
          }
          const absl::Time answered = absl::Now();
          mine.push_back(answered - begin);
          if (on_ack) on_ack(r.seq(), answered);
        }
        std::lock_guard<std::mutex> lock(mu_);
        latencies_.insert(latencies_.end(), mine.begin(), mine.end());
      });
    }
  }
  ~VisitWriters() { Stop(); }

  // Stops and joins the writers; returns every entry's latency.
  std::vector<absl::Duration> Stop() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
    return latencies_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::vector<absl::Duration> latencies_;
};

// `clients` writers through `channel` for `duration`.
Latencies WriteVisits(const std::shared_ptr<grpc::Channel>& channel, const std::string& token, int clients,
                      absl::Duration duration, std::atomic<uint64_t>* next, VisitWriters::OnAck on_ack = nullptr) {
  const absl::Time start = absl::Now();
  VisitWriters writers(channel, token, clients, next, std::move(on_ack));
  absl::SleepFor(duration);
  return Summarize(writers.Stop(), absl::Now() - start);
}

// Returns the log_visit rows by number of clients.
std::map<int, Latencies> GrpcBenchmark(const std::string& dir, const std::string& ledgerd,
                                       const std::string& ledgerctl, absl::Duration duration, double raw_rate) {
  std::map<int, Latencies> rows;
  Server server = StartLedgerd(ledgerd, dir + "/grpc");
  const std::string token = SetUpCast(server.channel, server.token);
  std::atomic<uint64_t> next{0};
  std::cout << absl::StrFormat("\n%-44s %12s %10s %10s %10s %8s\n", "over gRPC (log_visit, ledgerd)", "entries/s", "p50",
                               "p99", "p999", "vs raw");
  for (int clients : {1, 8, 64, 256}) {
    const Latencies l = rows[clients] = WriteVisits(server.channel, token, clients, duration, &next);
    std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %10s %7.2fx\n", absl::StrCat(clients, " clients"), l.per_second,
                                 absl::FormatDuration(l.p50), absl::FormatDuration(l.p99), absl::FormatDuration(l.p999),
                                 l.per_second / raw_rate);
  }
  auto query = v1::QueryService::NewStub(server.channel);
  auto query_once = [&](const std::string& q) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + server.token);
    const absl::Time begin = absl::Now();
    bool ok = false;
    if (q == "GetUnit") {
      v1::GetUnitRequest r;
      r.set_project_id("BJF");
      r.set_unit_id("A1");
      v1::UnitView v;
      ok = query->GetUnit(&ctx, r, &v).ok();
    } else if (q == "ListUnits") {
      v1::ListUnitsRequest r;
      r.set_project_id("BJF");
      v1::ListUnitsResponse v;
      ok = query->ListUnits(&ctx, r, &v).ok();
    } else {
      v1::PenaltyStatementRequest r;
      r.set_person_id("gw01");
      r.set_period(absl::FormatTime("%Y-%m", absl::Now(), absl::FixedTimeZone(8 * 3600)));
      v1::PenaltyStatement v;
      ok = query->GetPenaltyStatement(&ctx, r, &v).ok();
    }
    if (!ok) std::abort();
    return absl::Now() - begin;
  };
  // What one gRPC round trip costs a lone caller here, without the log: the floor under the
  // 1-client row.
  {
    std::vector<absl::Duration> reads;
    const absl::Time start = absl::Now(), end = start + duration;
    while (absl::Now() < end) reads.push_back(query_once("GetUnit"));
    const Latencies s = Summarize(reads, absl::Now() - start);
    std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %10s\n", "GetUnit, 1 client, no writers", s.per_second,
                                 absl::FormatDuration(s.p50), absl::FormatDuration(s.p99), absl::FormatDuration(s.p999));
  }
  // Query latency while 64 writers run.
  {
    VisitWriters writers(server.channel, token, 64, &next);
    std::map<std::string, std::vector<absl::Duration>> reads;
    const absl::Time end = absl::Now() + duration;
    while (absl::Now() < end) {
      for (const char* q : {"GetUnit", "ListUnits", "GetPenaltyStatement"}) reads[q].push_back(query_once(q));
    }
    writers.Stop();
    for (auto& [name, l] : reads) {
      const Latencies s = Summarize(l, duration);
      std::cout << absl::StrFormat("%-44s %12s %10s %10s %10s\n", absl::StrCat(name, " under 64 writers"), "-",
                                   absl::FormatDuration(s.p50), absl::FormatDuration(s.p99), absl::FormatDuration(s.p999));
    }
  }
  // Batch import: ledgerctl import of a file of log_visit lines, as the consultant.
  {
    constexpr int kLines = 100000;
    const std::string file = dir + "/import.jsonl", token_file = dir + "/gw01.token";
    std::ofstream(token_file) << token << "\n";
    std::ofstream out(file);
    const std::string now = absl::FormatTime("%Y-%m-%dT%H:%M:%S+00:00", absl::Now(), absl::UTCTimeZone());
    for (int i = 0; i < kLines; ++i) {
      out << R"({"cmd":"log_visit","args":{"project_id":"BJF","visit_id":"I)" << i
          << R"(","customer_id":"C1","consultant_id":"gw01","kind":"VISIT","intent":"HIGH","occurred_at":")" << now
          << R"(",)"
          << R"("note":"客户看了样板间,对三房感兴趣,周末带家人再来"}})" << "\n";
    }
    out.close();
    const auto [took, rss] = Measure(absl::StrCat(ledgerctl, " import --quiet --server 127.0.0.1:", server.port,
                                                  " --token-file ", token_file, " ", file, " >/dev/null"));
    const double rate = kLines / absl::ToDoubleSeconds(took);
    std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %10s %7.2fx\n", "ledgerctl import (batches of 500)", rate, "-",
                                 "-", "-", rate / raw_rate);
  }
  StopLedgerd(server);
  return rows;
}

// ---- replicated mode (issue 19): a writer and a follower on a PostgreSQL log store ----

// `conninfo` (URI or key=value) with its database replaced by `dbname`; empty when libpq cannot
// parse it.
std::string WithDatabase(const std::string& conninfo, const std::string& dbname) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::cerr << "ledger_bench: --log-store: " << (error != nullptr ? error : "out of memory") << "\n";
    PQfreemem(error);
    return "";
  }
  std::string out = absl::StrCat("dbname='", dbname, "'");
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || std::string(o->keyword) == "dbname") continue;
    std::string value;
    for (const char c : std::string(o->val)) {
      if (c == '\'' || c == '\\') value.push_back('\\');
      value.push_back(c);
    }
    absl::StrAppend(&out, " ", o->keyword, "='", value, "'");
  }
  PQconninfoFree(options);
  return out;
}

// Runs each statement on `conninfo`, outside a transaction; false (and why, on stderr) on the first
// that fails.
bool RunSql(const std::string& conninfo, const std::vector<std::string>& statements) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK;
  if (!ok) std::cerr << "ledger_bench: --log-store: " << PQerrorMessage(conn);
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
  for (size_t i = 0; ok && i < statements.size(); ++i) {
    PGresult* r = PQexec(conn, statements[i].c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) std::cerr << "ledger_bench: " << statements[i] << ": " << PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  return ok;
}

absl::StatusOr<v1::GetStatusResponse> Status(const Server& server, const std::string& admin_token, uint64_t min_seq = 0) {
  auto admin = v1::AdminService::NewStub(server.channel);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + admin_token);
  if (min_seq > 0) ctx.AddMetadata(kMinSeqHeader, absl::StrCat(min_seq));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
  v1::GetStatusResponse status;
  if (grpc::Status s = admin->GetStatus(&ctx, v1::GetStatusRequest(), &status); !s.ok()) {
    return absl::UnavailableError(s.error_message());
  }
  return status;
}

// Waits up to a minute for `done(status)`; false when it never held.
bool AwaitStatus(const Server& server, const std::string& admin_token,
                 const std::function<bool(const v1::GetStatusResponse&)>& done) {
  for (const absl::Time end = absl::Now() + absl::Minutes(1); absl::Now() < end; absl::SleepFor(absl::Milliseconds(50))) {
    absl::StatusOr<v1::GetStatusResponse> status = Status(server, admin_token);
    if (status.ok() && done(*status)) return true;
  }
  return false;
}

// Two ledgerd nodes on a fresh database `ledger_bench` in the PostgreSQL of `store` (its standbys
// and synchronous replication are whatever that server has: tools/cluster.sh's are strict), the
// first the writer, the second a follower with a copy of the writer's log.key. Prints entries/s at
// 1, 8 and 64 clients written to the writer, 64 clients through the follower (forwarded), each
// beside this run's embedded row, and how long after the writer's acknowledgement a read on the
// follower that names the entry's seq (x-salesledger-min-seq) is answered. Returns false when the
// nodes could not run.
bool ReplicatedBenchmark(const std::string& dir, const std::string& ledgerd, const std::string& store,
                         absl::Duration duration, const std::map<int, Latencies>& embedded) {
  const std::string database = "ledger_bench";
  if (!RunSql(store, {"DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", "CREATE DATABASE " + database})) {
    return false;
  }
  const std::string conninfo = WithDatabase(store, database);
  if (conninfo.empty()) return false;
  // A standby first in a multi-host list refuses a database it has not replayed yet, and libpq
  // does not try the next host after that refusal: wait until a connection through the list works.
  bool reachable = false;
  for (const absl::Time end = absl::Now() + absl::Seconds(30); !reachable && absl::Now() < end;) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    reachable = PQstatus(conn) == CONNECTION_OK;
    PQfinish(conn);
    if (!reachable) absl::SleepFor(absl::Milliseconds(100));
  }
  if (!reachable) {
    std::cerr << "ledger_bench: database " << database << " is not reachable through --log-store\n";
    return false;
  }
  auto node_args = [&](const std::string& name) {
    return std::vector<std::string>{"--log-store", conninfo, "--node-name", name, "--lease", "2"};
  };
  const std::string writer_dir = dir + "/replicated-writer", follower_dir = dir + "/replicated-follower";
  Server writer = StartLedgerd(ledgerd, writer_dir, node_args("bench-w"));
  // The admin token comes with the genesis, which a node writes only once it holds the lease.
  for (const absl::Time end = absl::Now() + absl::Minutes(1); writer.token.empty() && absl::Now() < end;) {
    absl::SleepFor(absl::Milliseconds(50));
    std::ifstream(writer_dir + "/admin.token") >> writer.token;
  }
  if (!AwaitStatus(writer, writer.token, [](const auto& s) { return s.cluster().role() == "writer"; })) {
    std::cerr << "ledger_bench: the first node did not become the writer\n";
    StopLedgerd(writer);
    return false;
  }
  std::filesystem::create_directories(follower_dir);
  std::filesystem::copy_file(writer_dir + "/log.key", follower_dir + "/log.key");
  Server follower = StartLedgerd(ledgerd, follower_dir, node_args("bench-f"));
  const bool following = AwaitStatus(follower, writer.token, [](const auto& s) { return s.cluster().role() == "follower"; });
  const std::string token = following ? SetUpCast(writer.channel, writer.token) : "";
  absl::StatusOr<v1::GetStatusResponse> writer_status =
      following ? Status(writer, writer.token) : absl::UnavailableError("no follower");
  const std::string primary = writer_status.ok() ? writer_status->cluster().postgresql_primary() : "?";
  std::cout << absl::StrFormat("\n%-44s %12s %10s %10s %10s %12s %8s\n",
                               absl::StrCat("replicated (PostgreSQL ", primary, ")"), "entries/s", "p50", "p99",
                               "p999", "embedded/s", "ratio");
  std::atomic<uint64_t> next{0};
  auto print_row = [&](const std::string& label, const Latencies& l, int clients) {
    const double local = embedded.count(clients) ? embedded.at(clients).per_second : 0;
    std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %10s %12.0f %7.2fx\n", label, l.per_second,
                                 absl::FormatDuration(l.p50), absl::FormatDuration(l.p99), absl::FormatDuration(l.p999),
                                 local, local > 0 ? l.per_second / local : 0);
  };
  // The follower's lag: while 64 clients write, a probe takes the latest acknowledgement (seq, time)
  // and asks the follower for its status with that seq as min-seq; the lag is from the writer's
  // answer to the follower's.
  std::mutex ack_mu;
  std::pair<uint64_t, absl::Time> last_ack{0, absl::InfinitePast()};
  std::vector<absl::Duration> lags;
  for (const int clients : following ? std::vector<int>{1, 8, 64} : std::vector<int>{}) {
    std::atomic<bool> stop_probe{false};
    std::thread probe;
    if (clients == 64) {
      probe = std::thread([&] {
        uint64_t probed = 0;
        while (!stop_probe) {
          std::pair<uint64_t, absl::Time> ack;
          {
            std::lock_guard<std::mutex> lock(ack_mu);
            ack = last_ack;
          }
          if (ack.first <= probed) {
            absl::SleepFor(absl::Milliseconds(1));
            continue;
          }
          probed = ack.first;
          if (!Status(follower, writer.token, ack.first).ok()) std::abort();
          lags.push_back(absl::Now() - ack.second);
        }
      });
    }
    const Latencies l = WriteVisits(writer.channel, token, clients, duration, &next, [&](uint64_t seq, absl::Time at) {
      std::lock_guard<std::mutex> lock(ack_mu);
      if (seq > last_ack.first) last_ack = {seq, at};
    });
    stop_probe = true;
    if (probe.joinable()) probe.join();
    print_row(absl::StrCat(clients, " clients, to the writer"), l, clients);
  }
  if (following) {
    print_row("64 clients, to the follower (forwarded)", WriteVisits(follower.channel, token, 64, duration, &next), 64);
    const Latencies lag = Summarize(lags, duration);
    std::cout << absl::StrFormat("  follower lag (writer's ack to a min-seq read answered on the follower), 64 clients:\n"
                                 "  p50 %s, p99 %s, p999 %s, over %d probes\n",
                                 absl::FormatDuration(lag.p50), absl::FormatDuration(lag.p99),
                                 absl::FormatDuration(lag.p999), lags.size());
  }
  // The follower ends where the writer does: the same head, seq and hash.
  absl::StatusOr<v1::GetStatusResponse> head = Status(writer, writer.token);
  const bool same = following && head.ok() && AwaitStatus(follower, writer.token, [&](const auto& s) {
    return s.head_seq() == head->head_seq() && s.head_hash() == head->head_hash();
  });
  if (same) std::cout << "  the follower's head equals the writer's: seq " << head->head_seq() << ", same hash\n";
  StopLedgerd(follower);
  StopLedgerd(writer);
  RunSql(store, {"DROP DATABASE IF EXISTS " + database + " WITH (FORCE)"});
  if (!same) std::cerr << "ledger_bench: the follower did not follow the writer (see " << follower_dir << ")\n";
  return same;
}

// The PostgreSQL peer (tools/postgres_peer.h) at the gRPC rows' client counts, each printed beside
// the gRPC row of this run. Returns false when the peer could not run.
bool PeerBenchmark(const std::string& dir, absl::Duration duration, const std::map<int, Latencies>& grpc_rows) {
  absl::StatusOr<std::unique_ptr<PostgresPeer>> peer = PostgresPeer::Start(dir + "/postgresql");
  if (!peer.ok()) {
    std::cerr << "ledger_bench: the PostgreSQL peer did not start: " << peer.status().message() << "\n";
    return false;
  }
  std::cout << absl::StrFormat("\n%-44s %12s %10s %10s %12s %10s %8s\n",
                               "PostgreSQL 15 peer (hash-chained append)", "appends/s", "p50", "p99",
                               "gRPC/s", "gRPC p50", "ratio");
  for (const auto& [clients, grpc] : grpc_rows) {
    absl::StatusOr<std::vector<absl::Duration>> l = (*peer)->Append(clients, duration, kEventBytes);
    if (!l.ok()) {
      std::cerr << "ledger_bench: the PostgreSQL peer failed: " << l.status().message() << "\n";
      return false;
    }
    const Latencies p = Summarize(*std::move(l), duration);
    std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %12.0f %10s %7.2fx\n", absl::StrCat(clients, " clients"),
                                 p.per_second, absl::FormatDuration(p.p50), absl::FormatDuration(p.p99),
                                 grpc.per_second, absl::FormatDuration(grpc.p50), grpc.per_second / p.per_second);
  }
  return true;
}

}  // namespace
}  // namespace salesledger

int main(int argc, char** argv) {
  salesledger::CliFlags flags({
      {"dir", std::filesystem::temp_directory_path().string() + "/ledger_bench", "scratch directory (emptied)"},
      {"seconds", "3", "how long each measurement runs"},
      {"fold-events", "1000000", "ledger sizes for the rebuild/verify figures, comma-separated (0 skips them)"},
      {"keep", "", "keep the generated data in --dir (to profile rebuilds)", true},
      {"skip-appends", "", "skip the append figures", true},
      {"skip-grpc", "", "skip the figures over gRPC", true},
      {"peer", "", "also measure a peer beside the gRPC rows: postgresql (a throwaway PostgreSQL 15)"},
      {"log-store", "", "also measure replicated mode: a writer and a follower on this PostgreSQL (libpq conninfo), in a database ledger_bench made and dropped here"},
      {"sealed-customers", "20000", "registrations for the sealed-versus-clear figures (issue 20)"},
      {"restart-of", "", "(used by the bench itself) open the ledger in this data dir, print the restart time"},
  });
  if (absl::Status s = flags.Parse(argc, argv); !s.ok() || flags.help()) {
    std::cout << "usage: ledger_bench [flags]\n" << flags.Usage();
    return s.ok() ? 0 : 2;
  }
  if (!flags.Get("restart-of").empty()) return salesledger::RestartOf(flags.Get("restart-of"));
  const std::string dir = flags.Get("dir");
  std::vector<uint64_t> fold_sizes;
  for (absl::string_view size : absl::StrSplit(flags.Get("fold-events"), ',')) {
    uint64_t events = 0;
    if (!absl::SimpleAtoi(size, &events)) {
      std::cerr << "ledger_bench: --fold-events takes numbers, e.g. 1000000,10000000\n";
      return 2;
    }
    if (events > 0) fold_sizes.push_back(events);
  }
  const absl::Duration duration = absl::Seconds(std::stoi(flags.Get("seconds")));
  if (const std::string peer = flags.Get("peer"); !peer.empty() && (peer != "postgresql" || flags.GetBool("skip-grpc"))) {
    std::cerr << "ledger_bench: --peer takes postgresql, and needs the gRPC figures (no --skip-grpc)\n";
    return 2;
  }
  if (!flags.Get("log-store").empty() && flags.GetBool("skip-grpc")) {
    std::cerr << "ledger_bench: --log-store needs the gRPC figures (no --skip-grpc)\n";
    return 2;
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  const std::string ledgerctl = (std::filesystem::path(argv[0]).parent_path() / "ledgerctl").string();
  std::cout << "ledger_bench: " << std::thread::hardware_concurrency() << " cores, " << flags.Get("seconds")
            << " s per figure, data in " << dir << "\n\n";
  if (flags.GetBool("skip-appends")) {
    for (const uint64_t events : fold_sizes) {
      salesledger::FoldBenchmark(dir, events, ledgerctl, argv[0]);
    }
    if (!flags.GetBool("keep")) std::filesystem::remove_all(dir);
    return 0;
  }
  const auto raw = salesledger::RawRocksDb(dir + "/raw", duration);
  std::cout << absl::StrFormat("%-44s %12s %10s %10s %8s\n", "measurement", "records/s", "p50", "p99", "vs raw");
  std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %8s\n",
                               "raw RocksDB, 1 thread, sync batches of 64", raw.per_second, "-", "-", "1.00x");
  for (const int threads : {1, 64}) {
    const auto r = salesledger::RawRocksDbWriters(absl::StrCat(dir, "/raw-writers", threads), threads, duration);
    std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n",
                                 absl::StrCat("raw RocksDB, ", threads, threads == 1 ? " thread" : " threads",
                                              ", 1 synced Put each"),
                                 r.per_second, absl::FormatDuration(r.p50), absl::FormatDuration(r.p99),
                                 r.per_second / raw.per_second);
  }
  std::map<int, salesledger::Latencies> grpc_rows;
  if (!flags.GetBool("skip-grpc")) {
    const std::filesystem::path bin = std::filesystem::path(argv[0]).parent_path();
    grpc_rows = salesledger::GrpcBenchmark(dir, (bin / "ledgerd").string(), (bin / "ledgerctl").string(), duration,
                                           raw.per_second);
    if (flags.Get("peer") == "postgresql" && !salesledger::PeerBenchmark(dir, duration, grpc_rows)) return 1;
    if (!flags.Get("log-store").empty() &&
        !salesledger::ReplicatedBenchmark(dir, (bin / "ledgerd").string(), flags.Get("log-store"), duration, grpc_rows)) {
      return 1;
    }
    std::cout << "\n";
  }
  for (int threads : {1, 8}) {
    const auto r = salesledger::Appenders(absl::StrCat(dir, "/log", threads), threads, duration);
    std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n",
                                 absl::StrCat("EventLog durable appends, ", threads, " appenders"), r.per_second,
                                 absl::FormatDuration(r.p50), absl::FormatDuration(r.p99),
                                 r.per_second / raw.per_second);
  }
  // 64 appenders with the Merkle tree and without it, alternating so that drift in the machine
  // falls on both alike; the ratio is of the sums.
  double with_tree = 0, without_tree = 0;
  for (int round = 0; round < 2; ++round) {
    for (const bool tree : {false, true}) {
      const auto r = salesledger::Appenders(absl::StrCat(dir, "/log64-", round, tree), 64, duration, tree);
      (tree ? with_tree : without_tree) += r.per_second;
      std::cout << absl::StrFormat("%-44s %12.0f %10s %10s %7.2fx\n",
                                   absl::StrCat("EventLog durable appends, 64 appenders", tree ? "" : ", no tree"),
                                   r.per_second, absl::FormatDuration(r.p50), absl::FormatDuration(r.p99),
                                   r.per_second / raw.per_second);
    }
  }
  std::cout << absl::StrFormat("  the Merkle tree costs appends %.1f%% (64 appenders, two runs each)\n",
                               100.0 * (1 - with_tree / without_tree));
  if (grpc_rows.count(64)) {
    std::cout << absl::StrFormat("  64 clients over gRPC / EventLog alone with 64 appenders: %.2fx\n",
                                 grpc_rows[64].per_second / (with_tree / 2));
  }
  salesledger::SealingBenchmark(dir, std::stoi(flags.Get("sealed-customers")));
  for (const uint64_t events : fold_sizes) salesledger::FoldBenchmark(dir, events, ledgerctl, argv[0]);
  if (!flags.GetBool("keep")) std::filesystem::remove_all(dir);
  return 0;
}
