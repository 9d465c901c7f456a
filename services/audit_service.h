// AuditService (SPEC.md §5): history, verification and proofs for AUDITOR, ADMIN and FINANCE_LEAD
// (domain/access.h kHistoryReaders). Thread-safe: gRPC calls it from many threads.
#ifndef SALESLEDGER_SERVICES_AUDIT_SERVICE_H_
#define SALESLEDGER_SERVICES_AUDIT_SERVICE_H_

#include <atomic>

#include "salesledger/v1/audit.grpc.pb.h"
#include "ledger/event_log.h"
#include "domain/state.h"
#include "services/ledger.h"
#include "services/write_forwarder.h"

namespace salesledger {

class AuditServiceImpl final : public salesledger::v1::AuditService::Service {
 public:
  // Neither is owned; `forwarder` is null in embedded mode (add_cosignature goes to the writer).
  AuditServiceImpl(Ledger* ledger, WriteForwarder* forwarder) : ledger_(ledger), forwarder_(forwarder) {}

  grpc::Status GetHead(grpc::ServerContext* context, const v1::GetHeadRequest* request,
                       v1::GetHeadResponse* response) override;
  grpc::Status ReadEvents(grpc::ServerContext* context, const v1::ReadEventsRequest* request,
                          grpc::ServerWriter<v1::ReadEventsResponse>* writer) override;
  grpc::Status VerifyChain(grpc::ServerContext* context, const v1::VerifyChainRequest* request,
                           v1::VerifyChainResponse* response) override;
  grpc::Status FindBackdated(grpc::ServerContext* context, const v1::FindBackdatedRequest* request,
                             v1::FindBackdatedResponse* response) override;
  grpc::Status ExplainViolation(grpc::ServerContext* context, const v1::ExplainViolationRequest* request,
                                v1::ExplainViolationResponse* response) override;
  grpc::Status Subscribe(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                         grpc::ServerWriter<v1::ReadEventsResponse>* writer) override;

  // Proofs (audit_proofs.cc).
  grpc::Status GetCheckpoint(grpc::ServerContext* context, const v1::GetCheckpointRequest* request,
                             v1::GetCheckpointResponse* response) override;
  grpc::Status GetInclusionProof(grpc::ServerContext* context, const v1::GetInclusionProofRequest* request,
                                 v1::GetInclusionProofResponse* response) override;
  grpc::Status GetConsistencyProof(grpc::ServerContext* context, const v1::GetConsistencyProofRequest* request,
                                   v1::GetConsistencyProofResponse* response) override;
  grpc::Status VerifyTree(grpc::ServerContext* context, const v1::VerifyTreeRequest* request,
                          v1::VerifyTreeResponse* response) override;
  // A command (role AUDITOR, decided by the domain), not a read: kHistoryReaders does not apply.
  grpc::Status AddCosignature(grpc::ServerContext* context, const v1::AddCosignatureRequest* request,
                              v1::EntryResponse* response) override;

  // Ends every Subscribe stream (UNAVAILABLE, with the seq to resume from) within a second, so
  // that a graceful shutdown need not wait for subscribers.
  void StopStreams() { stopping_ = true; }

  // A caught-up subscriber that falls this many events behind the head is cut off.
  static constexpr uint64_t kMaxSubscriberLag = 100000;

 private:
  // The 1 MiB limit, then a bearer token of kHistoryReaders: its person.
  absl::StatusOr<Person> Authorize(const grpc::ServerContext& context, const google::protobuf::Message& request,
                                   absl::string_view action) const;

  Ledger* ledger_;
  WriteForwarder* forwarder_;
  std::atomic<bool> stopping_{false};
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_AUDIT_SERVICE_H_
