// ledgerd: the salesledger gRPC server (SPEC.md §9).
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "ledger/pg_log_store.h"
#include "services/cluster_node.h"
#include "services/inspection_scheduler.h"
#include "services/ledger.h"
#include "services/metrics.h"
#include "services/server.h"
#include "tools/cli_flags.h"

namespace {

constexpr char kUsage[] =
    "usage: ledgerd [flags]\n"
    "Serves the salesledger gRPC API. On first start on an empty data dir it creates the admin\n"
    "principal and writes its bearer token to <data-dir>/admin.token (mode 0600).\n"
    "SIGTERM/SIGINT: stop accepting, finish in-flight calls, sync, exit 0.\n\nflags:\n";

// Set by the cluster node when this node must stop (it then raises SIGTERM): the exit code says
// "restart me" to the supervisor.
constexpr int kExitRestart = 75;
absl::Mutex fatal_mu;
absl::Status fatal_status ABSL_GUARDED_BY(fatal_mu);

int Fail(const absl::Status& s) {
  std::cerr << "ledgerd: " << s.message() << " [" << absl::StatusCodeToString(s.code()) << "]\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  salesledger::CliFlags flags({
      {"listen", "127.0.0.1:50051", "address to serve gRPC on; port 0 picks a free port"},
      {"data-dir", "./data", "directory holding the ledger, admin.token and log.key"},
      {"log-name", "", "the log's origin in its checkpoints, fixed at the first start (default <host>/salesledger/<data dir>)"},
      {"port-file", "", "write the bound port to this file once serving (for scripts and tests)"},
      {"tls-cert", "", "PEM certificate chain; serve TLS when given with --tls-key"},
      {"tls-key", "", "PEM private key for --tls-cert"},
      {"tls-client-ca", "", "PEM CA: with TLS, accept only clients with a certificate it signed"},
      {"allow-broken-chain", "", "start even if the chain does not verify, refusing every write (investigation)", true},
      {"auto-inspect", "", "run each project's daily inspection at the policy's inspection time, as 'system'", true},
      {"metrics", "", "serve Prometheus metrics at http://HOST:PORT/metrics (e.g. 127.0.0.1:9464; port 0 picks one)"},
      {"retained-checkpoints", "4", "projection checkpoints kept, spread over the history, for as-of reads to start from"},
      {"log-store", "", "replicated mode: a libpq connection string (postgresql://...) of the PostgreSQL that holds the log"},
      {"node-name", "", "replicated mode: this node's name, unique in the cluster (default: the --listen address)"},
      {"advertise", "", "replicated mode: host:port where the other nodes reach this one (default: --listen's host, bound port)"},
      {"lease", "5", "replicated mode: seconds a silent writer keeps the writer role before another node takes it"},
  });
  if (absl::Status s = flags.Parse(argc, argv); !s.ok()) {
    std::cerr << "ledgerd: " << s.message() << "\n" << kUsage << flags.Usage();
    return 2;
  }
  if (flags.help()) {
    std::cout << kUsage << flags.Usage();
    return 0;
  }

  // Debian's Abseil checks every mutex acquisition for lock-order cycles; that is a debugging aid
  // with a cost on every lock of the write path.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Every client connection is a descriptor: take the hard limit, not the usual soft 1024.
  if (rlimit files{}; ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }

  // Block the stop signals in every thread; main waits for them with sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Metrics first: the ledger's log reports every synced write into them.
  std::unique_ptr<salesledger::Metrics> metrics;
  if (!flags.Get("metrics").empty()) {
    auto served = salesledger::Metrics::Serve(flags.Get("metrics"));
    if (!served.ok()) return Fail(served.status());
    metrics = *std::move(served);
  }
  salesledger::LedgerOptions ledger_options;
  if (metrics != nullptr) {
    ledger_options.on_sync = [m = metrics.get()](size_t events, absl::Duration write) { m->RecordSync(events, write); };
  }
  ledger_options.data_dir = flags.Get("data-dir");
  ledger_options.allow_broken_chain = flags.GetBool("allow-broken-chain");
  ledger_options.log_name = flags.Get("log-name");
  if (!absl::SimpleAtoi(flags.Get("retained-checkpoints"), &ledger_options.retained_checkpoints) ||
      ledger_options.retained_checkpoints == 0) {
    std::cerr << "ledgerd: --retained-checkpoints must be a whole number of at least 1, not '"
              << flags.Get("retained-checkpoints") << "'\n";
    return 2;
  }
  // Replicated mode: the log in PostgreSQL is the ledger, this data dir a replica of it.
  std::unique_ptr<salesledger::PgLogStore> store;
  double lease_seconds = 0;
  if (!absl::SimpleAtod(flags.Get("lease"), &lease_seconds) || lease_seconds < 1 || lease_seconds > 600) {
    std::cerr << "ledgerd: --lease must be a number of seconds from 1 to 600, not '" << flags.Get("lease") << "'\n";
    return 2;
  }
  if (!flags.Get("log-store").empty()) {
    salesledger::PgLogStoreOptions store_options;
    store_options.conninfo = flags.Get("log-store");
    store_options.node = flags.Get("node-name").empty() ? flags.Get("listen") : flags.Get("node-name");
    store_options.address = flags.Get("advertise");
    store_options.lease = absl::Seconds(lease_seconds);
    auto connected = salesledger::PgLogStore::Connect(store_options);
    if (!connected.ok()) return Fail(connected.status());
    store = *std::move(connected);
    ledger_options.upstream = store.get();
  }
  auto ledger = salesledger::Ledger::Open(ledger_options);
  if (!ledger.ok()) return Fail(ledger.status());
  if (!(*ledger)->broken_chain().ok()) {
    std::cout << "ledgerd: WARNING: " << (*ledger)->broken_chain().message()
              << "; serving reads only, every entry is refused" << std::endl;
  }
  if ((*ledger)->created()) {
    std::cout << "ledgerd: created a new ledger in " << ledger_options.data_dir
              << "; the admin bearer token is in " << (*ledger)->admin_token_path() << std::endl;
  }

  // The verifier key is what a witness trusts: it is printed at every start, and a new one says so.
  std::cout << "ledgerd: " << ((*ledger)->log_key_created() ? "made the log's signing key " : "the log's key is in ")
            << ledger_options.data_dir << "/log.key; its verifier key (for witnesses): "
            << (*ledger)->tree_heads().verifier().ToString() << std::endl;

  // The ledger's own gaps on record (SPEC.md §3.12): this start, and whether the last run stopped cleanly.
  if ((*ledger)->broken_chain().ok() && store == nullptr) {  // a cluster's writer records its start as it takes over
    auto started = (*ledger)->RecordStart("ledgerd");
    if (!started.ok()) return Fail(started.status());
    std::cout << "ledgerd: start recorded at seq " << started->event.seq()
              << ((*ledger)->previous_stop_clean() ? "" : "; the previous run did not stop cleanly") << std::endl;
  }

  salesledger::ServerOptions server_options;
  server_options.listen = flags.Get("listen");
  server_options.tls_cert_file = flags.Get("tls-cert");
  server_options.tls_key_file = flags.Get("tls-key");
  server_options.tls_client_ca_file = flags.Get("tls-client-ca");
  server_options.metrics = metrics.get();
  std::unique_ptr<salesledger::ClusterNode> node;
  if (store != nullptr) {
    salesledger::ClusterNodeOptions node_options;
    node_options.report = [name = store->node()](const std::string& line) {
      std::cout << "ledgerd: node " << name << ": " << line << std::endl;
    };
    node_options.on_fatal = [](const absl::Status& s) {
      {
        absl::MutexLock lock(&fatal_mu);
        fatal_status = s;
      }
      ::kill(::getpid(), SIGTERM);
    };
    node = std::make_unique<salesledger::ClusterNode>(store.get(), ledger->get(), std::move(node_options));
    server_options.cluster = node.get();
  }
  auto server = salesledger::Server::Start(server_options, ledger->get());
  if (!server.ok()) return Fail(server.status());
  const int port = (*server)->port();
  if (node != nullptr) {
    if (store->address().empty()) {
      const std::string listen = flags.Get("listen");
      store->SetAddress(absl::StrCat(listen.substr(0, listen.rfind(':')), ":", port));
    }
    if (absl::Status s = node->Start(); !s.ok()) return Fail(s);
    std::cout << "ledgerd: node " << store->node() << " follows the replicated log at " << store->primary()
              << "; it takes entries at " << store->address() << " once it writes" << std::endl;
  }
  if (!flags.Get("port-file").empty()) {
    const std::string tmp = flags.Get("port-file") + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), flags.Get("port-file").c_str());
  }
  std::unique_ptr<salesledger::InspectionScheduler> inspections;
  if (flags.GetBool("auto-inspect")) {
    inspections = std::make_unique<salesledger::InspectionScheduler>(ledger->get(), salesledger::RealClock::Get());
    inspections->Start(absl::Seconds(30));
  }
  const salesledger::FoldReport& fold = (*ledger)->fold_report();
  std::cout << "ledgerd: state ready in " << absl::FormatDuration((*ledger)->open_time()) << " (checkpoint at seq "
            << fold.checkpoint_seq << ", " << fold.events_folded << " events folded"
            << (fold.note.empty() ? "" : "; " + fold.note) << ")" << std::endl;
  if (metrics != nullptr) {
    metrics->WatchLedger(ledger->get());
    std::cout << "ledgerd: metrics on http://" << flags.Get("metrics").substr(0, flags.Get("metrics").rfind(':')) << ":"
              << metrics->port() << "/metrics" << std::endl;
  }
  std::cout << "ledgerd: serving on port " << port << " (head seq " << (*ledger)->log().GetHead().seq
            << ", data in " << ledger_options.data_dir << ")" << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cout << "ledgerd: signal " << signal_number << ", finishing in-flight calls" << std::endl;
  if (inspections) inspections->Stop();
  if (node != nullptr) node->Stop();  // appends are refused from here on
  (*server)->Shutdown(absl::Seconds(10));
  server->reset();
  if (metrics != nullptr) metrics->WatchLedger(nullptr);
  ledger->reset();  // drains the writer: every acknowledged entry is already synced
  absl::MutexLock lock(&fatal_mu);
  if (!fatal_status.ok()) {
    std::cout << "ledgerd: stopped: " << fatal_status.message() << "; exit " << kExitRestart
              << " (start it again: it catches up from the replicated log)" << std::endl;
    return kExitRestart;
  }
  std::cout << "ledgerd: stopped" << std::endl;
  return 0;
}
