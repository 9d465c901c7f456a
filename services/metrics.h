// The figures an operator's dashboard wants from a running ledgerd, served for Prometheus at
// `ledgerd --metrics host:port` (path /metrics) through prometheus-cpp's pull exposer:
//
//   salesledger_rpc_calls_total{method,code}         counter    every gRPC call, by full method and code
//   salesledger_rpc_latency_seconds{method,code}     histogram  from the call's start to its status
//   salesledger_log_group_events                     histogram  events made durable by one synced write
//   salesledger_log_fsync_seconds                    histogram  how long that synced write took
//   salesledger_head_seq                             gauge      the log's head
//   salesledger_events_per_second                    gauge      appended over the last few seconds
//   salesledger_projection_lag_events                gauge      head minus what readers see
//   salesledger_checkpoint_age_events                gauge      head minus the persisted checkpoint
//   salesledger_historical_states_in_use             gauge      as-of states held (HistoricalStates)
//   salesledger_historical_state_waiters             gauge      as-of readers waiting for one
//
// Gauges are read from the ledger at each scrape. Not a benchmark: ledger_bench measures speed.
// Thread-safe.
#ifndef SALESLEDGER_SERVICES_METRICS_H_
#define SALESLEDGER_SERVICES_METRICS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"
#include "grpcpp/support/status.h"
#include "services/ledger.h"

namespace prometheus {
class Exposer;
class Registry;
template <typename T>
class Family;
class Counter;
class Histogram;
}  // namespace prometheus

namespace salesledger {

class Metrics {
 public:
  // Serves the metrics on `listen` (host:port; port 0 picks a free one). UNAVAILABLE when it
  // cannot listen there.
  static absl::StatusOr<std::unique_ptr<Metrics>> Serve(const std::string& listen);
  ~Metrics();

  int port() const { return port_; }

  void RecordCall(const std::string& method, grpc::StatusCode code, absl::Duration latency);
  // One synced write of the log that made `events` events durable.
  void RecordSync(size_t events, absl::Duration write);
  // The ledger whose gauges each scrape reads; nullptr stops reading it (before it closes).
  void WatchLedger(const Ledger* ledger);

 private:
  class LedgerGauges;
  Metrics() = default;

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<LedgerGauges> gauges_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Counter>* calls_ = nullptr;
  prometheus::Family<prometheus::Histogram>* latency_ = nullptr;
  prometheus::Histogram* group_events_ = nullptr;
  prometheus::Histogram* fsync_ = nullptr;
  int port_ = 0;
};

// Counts every call of the server into `metrics` (not owned; must outlive the server).
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewMetricsInterceptorFactory(Metrics* metrics);

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_METRICS_H_
