#include "services/min_seq_interceptor.h"

#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"

namespace salesledger {
namespace {

using grpc::experimental::InterceptionHookPoints;

class MinSeqInterceptor final : public grpc::experimental::Interceptor {
 public:
  MinSeqInterceptor(const Ledger* ledger, grpc::experimental::ServerRpcInfo* info) : ledger_(ledger), info_(info) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      Wait(*methods->GetRecvInitialMetadata());
    }
    if (refusal_.has_value() && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      // The handler ran on a replica that is behind; its answer goes out as this refusal instead.
      methods->ModifySendStatus(*refusal_);
    }
    methods->Proceed();
  }

 private:
  void Wait(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    auto it = metadata.find(kMinSeqHeader);
    if (it == metadata.end()) return;
    const std::string text(it->second.data(), it->second.size());
    uint64_t min_seq = 0;
    if (!absl::SimpleAtoi(text, &min_seq) || min_seq == 0) {
      refusal_ = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                              absl::StrCat(kMinSeqHeader, " must be the seq of an entry (a whole number from 1), not '",
                                           text, "'"));
      return;
    }
    absl::Duration wait = kMaxMinSeqWait;
    if (const absl::Time deadline = absl::FromChrono(info_->server_context()->deadline()); deadline < absl::Now() + wait) {
      // Leave the call time to answer that it is behind before the caller gives up on it.
      wait = std::max(absl::ZeroDuration(), (deadline - absl::Now()) * 0.8);
    }
    const uint64_t published = ledger_->WaitForPublished(min_seq - 1, wait);
    if (published < min_seq) {
      refusal_ = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                              absl::StrCat("this node holds events up to seq ", published, ", not yet seq ", min_seq,
                                           " that the call asks to include; retry in a moment, or on the writer"));
    }
  }

  const Ledger* ledger_;
  grpc::experimental::ServerRpcInfo* info_;
  std::optional<grpc::Status> refusal_;
};

class Factory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(const Ledger* ledger) : ledger_(ledger) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new MinSeqInterceptor(ledger_, info);
  }

 private:
  const Ledger* ledger_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewMinSeqInterceptorFactory(const Ledger* ledger) {
  return std::make_unique<Factory>(ledger);
}

}  // namespace salesledger
