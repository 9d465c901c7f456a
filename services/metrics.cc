#include "services/metrics.h"

#include <exception>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace salesledger {
namespace {

// The code's name (OK, INVALID_ARGUMENT, ...): gRPC's codes are absl's, number for number.
std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(Metrics* metrics, std::string method)
      : metrics_(metrics), method_(std::move(method)), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      metrics_->RecordCall(method_, methods->GetSendStatus().error_code(), absl::Now() - start_);
    }
    methods->Proceed();
  }

 private:
  Metrics* const metrics_;
  const std::string method_;
  const absl::Time start_;
};

class InterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit InterceptorFactory(Metrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(metrics_, info->method() != nullptr ? info->method() : "");
  }

 private:
  Metrics* const metrics_;
};

prometheus::MetricFamily Gauge(const std::string& name, const std::string& help, double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = prometheus::MetricType::Gauge;
  family.metric.emplace_back().gauge.value = value;
  return family;
}

}  // namespace

// The ledger's gauges, read when Prometheus scrapes.
class Metrics::LedgerGauges final : public prometheus::Collectable {
 public:
  void Watch(const Ledger* ledger) {
    absl::MutexLock lock(&mu_);
    ledger_ = ledger;
  }
  std::vector<prometheus::MetricFamily> Collect() const override {
    absl::MutexLock lock(&mu_);
    if (ledger_ == nullptr) return {};
    const Ledger::Status s = ledger_->GetStatus();
    const double head = static_cast<double>(s.head.seq);
    return {Gauge("salesledger_head_seq", "The log's head seq.", head),
            Gauge("salesledger_events_per_second", "Events appended per second over the last few seconds.",
                  s.events_per_second),
            Gauge("salesledger_projection_lag_events", "Events in the log that readers do not see yet.",
                  head - static_cast<double>(s.projection_seq)),
            Gauge("salesledger_checkpoint_age_events", "Events since the persisted projection checkpoint.",
                  head - static_cast<double>(s.checkpoint_seq)),
            Gauge("salesledger_historical_states_in_use", "As-of states held or being folded.",
                  static_cast<double>(s.historical.in_use)),
            Gauge("salesledger_historical_state_waiters", "As-of readers waiting for a historical state.",
                  static_cast<double>(s.historical.waiting))};
  }

 private:
  mutable absl::Mutex mu_;
  const Ledger* ledger_ ABSL_GUARDED_BY(mu_) = nullptr;
};

absl::StatusOr<std::unique_ptr<Metrics>> Metrics::Serve(const std::string& listen) {
  std::unique_ptr<Metrics> m(new Metrics());
  m->registry_ = std::make_shared<prometheus::Registry>();
  m->gauges_ = std::make_shared<LedgerGauges>();
  m->calls_ = &prometheus::BuildCounter()
                   .Name("salesledger_rpc_calls_total")
                   .Help("gRPC calls, by full method name and status code.")
                   .Register(*m->registry_);
  m->latency_ = &prometheus::BuildHistogram()
                     .Name("salesledger_rpc_latency_seconds")
                     .Help("gRPC call latency from its start to its status, by method and code.")
                     .Register(*m->registry_);
  m->group_events_ = &prometheus::BuildHistogram()
                          .Name("salesledger_log_group_events")
                          .Help("Events made durable by one synced write of the log (group commit).")
                          .Register(*m->registry_)
                          .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  m->fsync_ = &prometheus::BuildHistogram()
                   .Name("salesledger_log_fsync_seconds")
                   .Help("Duration of the log's synced writes.")
                   .Register(*m->registry_)
                   .Add({}, LatencyBuckets());
  try {
    m->exposer_ = std::make_unique<prometheus::Exposer>(listen, 1);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", listen, ": ", e.what()));
  }
  m->exposer_->RegisterCollectable(m->registry_);
  m->exposer_->RegisterCollectable(m->gauges_);
  const std::vector<int> ports = m->exposer_->GetListeningPorts();
  if (ports.empty()) return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", listen));
  m->port_ = ports.front();
  return m;
}

Metrics::~Metrics() = default;

void Metrics::RecordCall(const std::string& method, grpc::StatusCode code, absl::Duration latency) {
  const prometheus::Labels labels = {{"method", method}, {"code", CodeName(code)}};
  calls_->Add(labels).Increment();
  latency_->Add(labels, LatencyBuckets()).Observe(absl::ToDoubleSeconds(latency));
}

void Metrics::RecordSync(size_t events, absl::Duration write) {
  group_events_->Observe(static_cast<double>(events));
  fsync_->Observe(absl::ToDoubleSeconds(write));
}

void Metrics::WatchLedger(const Ledger* ledger) { gauges_->Watch(ledger); }

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewMetricsInterceptorFactory(Metrics* metrics) {
  return std::make_unique<InterceptorFactory>(metrics);
}

}  // namespace salesledger
