// EntryService and AdminService: every command of SPEC.md §3 as an RPC. Each call is
// authenticated by its bearer token and runs through Ledger::Execute; the answer is the event's
// seq (the original one on a retry) or the refusal of SPEC.md §4.
#ifndef SALESLEDGER_SERVICES_COMMAND_SERVICES_H_
#define SALESLEDGER_SERVICES_COMMAND_SERVICES_H_

#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "services/ledger.h"

namespace salesledger {

// The most commands one SubmitBatch call may carry.
inline constexpr int kMaxBatchCommands = 1000;

// Authenticates the call and runs `command` as its principal.
grpc::Status RunCommand(Ledger& ledger, const grpc::ServerContext& context, const v1::Command& command,
                        v1::EntryResponse* response);

class EntryServiceImpl final : public v1::EntryService::Service {
 public:
  explicit EntryServiceImpl(Ledger* ledger) : ledger_(ledger) {}  // not owned

  grpc::Status DefineUnit(grpc::ServerContext* context, const v1::DefineUnitRequest* request, v1::EntryResponse* response) override;
  grpc::Status DefinePaymentPlan(grpc::ServerContext* context, const v1::DefinePaymentPlanRequest* request, v1::EntryResponse* response) override;
  grpc::Status ChangeListPrice(grpc::ServerContext* context, const v1::ChangeListPriceRequest* request, v1::EntryResponse* response) override;
  grpc::Status ReviewSetup(grpc::ServerContext* context, const v1::ReviewSetupRequest* request, v1::EntryResponse* response) override;
  grpc::Status ConfirmSetup(grpc::ServerContext* context, const v1::ConfirmSetupRequest* request, v1::EntryResponse* response) override;
  grpc::Status SetUnitHold(grpc::ServerContext* context, const v1::SetUnitHoldRequest* request, v1::EntryResponse* response) override;
  grpc::Status RegisterCustomer(grpc::ServerContext* context, const v1::RegisterCustomerRequest* request, v1::EntryResponse* response) override;
  grpc::Status LogVisit(grpc::ServerContext* context, const v1::LogVisitRequest* request, v1::EntryResponse* response) override;
  grpc::Status ReserveUnit(grpc::ServerContext* context, const v1::ReserveUnitRequest* request, v1::EntryResponse* response) override;
  grpc::Status CancelReservation(grpc::ServerContext* context, const v1::CancelReservationRequest* request, v1::EntryResponse* response) override;
  grpc::Status CreateSubscription(grpc::ServerContext* context, const v1::CreateSubscriptionRequest* request, v1::EntryResponse* response) override;
  grpc::Status SignContract(grpc::ServerContext* context, const v1::SignContractRequest* request, v1::EntryResponse* response) override;
  grpc::Status RequestChange(grpc::ServerContext* context, const v1::RequestChangeRequest* request, v1::EntryResponse* response) override;
  grpc::Status DecideChange(grpc::ServerContext* context, const v1::DecideChangeRequest* request, v1::EntryResponse* response) override;
  grpc::Status RecordPayment(grpc::ServerContext* context, const v1::RecordPaymentRequest* request, v1::EntryResponse* response) override;
  grpc::Status RefundPayment(grpc::ServerContext* context, const v1::RefundPaymentRequest* request, v1::EntryResponse* response) override;
  grpc::Status TransferPayment(grpc::ServerContext* context, const v1::TransferPaymentRequest* request, v1::EntryResponse* response) override;
  grpc::Status ApproveAudit(grpc::ServerContext* context, const v1::ApproveAuditRequest* request, v1::EntryResponse* response) override;
  grpc::Status RejectAudit(grpc::ServerContext* context, const v1::RejectAuditRequest* request, v1::EntryResponse* response) override;
  grpc::Status UnlockRecord(grpc::ServerContext* context, const v1::UnlockRecordRequest* request, v1::EntryResponse* response) override;
  grpc::Status RegisterInvoice(grpc::ServerContext* context, const v1::RegisterInvoiceRequest* request, v1::EntryResponse* response) override;
  grpc::Status RecordServiceStep(grpc::ServerContext* context, const v1::RecordServiceStepRequest* request, v1::EntryResponse* response) override;
  grpc::Status SetSalesPlan(grpc::ServerContext* context, const v1::SetSalesPlanRequest* request, v1::EntryResponse* response) override;
  grpc::Status RecordPlanFeedback(grpc::ServerContext* context, const v1::RecordPlanFeedbackRequest* request, v1::EntryResponse* response) override;
  grpc::Status RecordMarketingSpend(grpc::ServerContext* context, const v1::RecordMarketingSpendRequest* request, v1::EntryResponse* response) override;
  grpc::Status RecordCompetitor(grpc::ServerContext* context, const v1::RecordCompetitorRequest* request, v1::EntryResponse* response) override;
  grpc::Status RequestVoid(grpc::ServerContext* context, const v1::RequestVoidRequest* request, v1::EntryResponse* response) override;
  grpc::Status DecideVoid(grpc::ServerContext* context, const v1::DecideVoidRequest* request, v1::EntryResponse* response) override;
  grpc::Status RunInspection(grpc::ServerContext* context, const v1::RunInspectionRequest* request, v1::EntryResponse* response) override;
  grpc::Status WaiveViolation(grpc::ServerContext* context, const v1::WaiveViolationRequest* request, v1::EntryResponse* response) override;
  grpc::Status SubmitBatch(grpc::ServerContext* context, const v1::CommandBatch* request,
                           v1::CommandBatchResponse* response) override;

 private:
  grpc::Status Run(const grpc::ServerContext& context, const v1::Command& command, v1::EntryResponse* response) {
    return RunCommand(*ledger_, context, command, response);
  }
  Ledger* ledger_;
};

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  explicit AdminServiceImpl(Ledger* ledger) : ledger_(ledger) {}  // not owned

  grpc::Status DefineProject(grpc::ServerContext* context, const v1::DefineProjectRequest* request, v1::EntryResponse* response) override;
  grpc::Status AddPerson(grpc::ServerContext* context, const v1::AddPersonRequest* request, v1::EntryResponse* response) override;
  grpc::Status UpdatePerson(grpc::ServerContext* context, const v1::UpdatePersonRequest* request, v1::EntryResponse* response) override;
  grpc::Status SetProjectLeads(grpc::ServerContext* context, const v1::SetProjectLeadsRequest* request, v1::EntryResponse* response) override;
  grpc::Status IssueToken(grpc::ServerContext* context, const v1::IssueTokenRequest* request, v1::EntryResponse* response) override;
  grpc::Status RevokeToken(grpc::ServerContext* context, const v1::RevokeTokenRequest* request, v1::EntryResponse* response) override;
  grpc::Status SetPolicy(grpc::ServerContext* context, const v1::SetPolicyRequest* request, v1::EntryResponse* response) override;
  grpc::Status Backup(grpc::ServerContext* context, const v1::BackupRequest* request, v1::BackupResponse* response) override;
  grpc::Status GetStatus(grpc::ServerContext* context, const v1::GetStatusRequest* request,
                         v1::GetStatusResponse* response) override;
  grpc::Status VerifyProjections(grpc::ServerContext* context, const v1::VerifyProjectionsRequest* request,
                                 v1::VerifyProjectionsResponse* response) override;
  grpc::Status RebuildProjections(grpc::ServerContext* context, const v1::RebuildProjectionsRequest* request,
                                  grpc::ServerWriter<v1::RebuildProgress>* writer) override;

 private:
  grpc::Status Run(const grpc::ServerContext& context, const v1::Command& command, v1::EntryResponse* response) {
    return RunCommand(*ledger_, context, command, response);
  }
  Ledger* ledger_;
};

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_COMMAND_SERVICES_H_
