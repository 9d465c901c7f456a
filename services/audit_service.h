// AuditService (SPEC.md §5): history and verification for AUDITOR, ADMIN and FINANCE_LEAD.
#ifndef SALESLEDGER_SERVICES_AUDIT_SERVICE_H_
#define SALESLEDGER_SERVICES_AUDIT_SERVICE_H_

#include "salesledger/v1/audit.grpc.pb.h"
#include "services/ledger.h"

namespace salesledger {

class AuditServiceImpl final : public salesledger::v1::AuditService::Service {
 public:
  explicit AuditServiceImpl(Ledger* ledger) : ledger_(ledger) {}  // not owned

  grpc::Status GetHead(grpc::ServerContext* context, const v1::GetHeadRequest* request,
                       v1::GetHeadResponse* response) override;
  grpc::Status ReadEvents(grpc::ServerContext* context, const v1::ReadEventsRequest* request,
                          grpc::ServerWriter<v1::ReadEventsResponse>* writer) override;
  grpc::Status VerifyChain(grpc::ServerContext* context, const v1::VerifyChainRequest* request,
                           v1::VerifyChainResponse* response) override;

 private:
  absl::Status Authorize(const grpc::ServerContext& context, absl::string_view action) const;

  Ledger* ledger_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_AUDIT_SERVICE_H_
