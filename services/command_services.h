// EntryService and AdminService: every command of SPEC.md §3 as an RPC. Each call is
// authenticated by its bearer token and runs through Ledger::Execute; the answer is the event's
// seq (the original one on a retry) or the refusal of SPEC.md §4. The command RPCs are the lists
// below, one line each: an RPC wraps its request into a Command and runs it (RunCommand).
//
// Thread-safety: the services may be called from gRPC's threads concurrently; the Ledger orders
// the commands.
#ifndef SALESLEDGER_SERVICES_COMMAND_SERVICES_H_
#define SALESLEDGER_SERVICES_COMMAND_SERVICES_H_

#include <type_traits>
#include <utility>

#include "salesledger/v1/admin.grpc.pb.h"
#include "salesledger/v1/entry.grpc.pb.h"
#include "services/cluster_node.h"
#include "services/ledger.h"
#include "services/write_forwarder.h"

namespace salesledger {

// The answer to an entry: seq, recorded_at, replayed, receipt number, token, leaf hash.
void FillEntryResponse(const CommandOutcome& outcome, v1::EntryResponse* response);

// The most commands one SubmitBatch call (or one batch of a SubmitStream) may carry.
inline constexpr int kMaxBatchCommands = 1000;
// The most batches of one SubmitStream queued and not yet answered.
inline constexpr size_t kStreamBatchesInFlight = 4;

// The commands of each service: X(Method, command field of salesledger.v1.Command).
#define SL_ENTRY_COMMANDS(X) \
  X(DefineUnit, define_unit) \
  X(DefinePaymentPlan, define_payment_plan) \
  X(ChangeListPrice, change_list_price) \
  X(ReviewSetup, review_setup) \
  X(ConfirmSetup, confirm_setup) \
  X(SetUnitHold, set_unit_hold) \
  X(RegisterCustomer, register_customer) \
  X(LogVisit, log_visit) \
  X(ReserveUnit, reserve_unit) \
  X(CancelReservation, cancel_reservation) \
  X(CreateSubscription, create_subscription) \
  X(SignContract, sign_contract) \
  X(RequestChange, request_change) \
  X(DecideChange, decide_change) \
  X(RecordPayment, record_payment) \
  X(RefundPayment, refund_payment) \
  X(TransferPayment, transfer_payment) \
  X(ApproveAudit, approve_audit) \
  X(RejectAudit, reject_audit) \
  X(UnlockRecord, unlock_record) \
  X(RegisterInvoice, register_invoice) \
  X(RecordServiceStep, record_service_step) \
  X(SetSalesPlan, set_sales_plan) \
  X(RecordPlanFeedback, record_plan_feedback) \
  X(RecordMarketingSpend, record_marketing_spend) \
  X(RecordCompetitor, record_competitor) \
  X(RequestVoid, request_void) \
  X(DecideVoid, decide_void) \
  X(RunInspection, run_inspection) \
  X(WaiveViolation, waive_violation)

#define SL_ADMIN_COMMANDS(X) \
  X(DefineRegion, define_region) \
  X(DefineProject, define_project) \
  X(MoveProjectRegion, move_project_region) \
  X(AddPerson, add_person) \
  X(UpdatePerson, update_person) \
  X(SetProjectLeads, set_project_leads) \
  X(IssueToken, issue_token) \
  X(RevokeToken, revoke_token) \
  X(SetPolicy, set_policy) \
  X(DeclareOutage, declare_outage) \
  X(WithdrawOutage, withdraw_outage) \
  X(EraseCustomerData, erase_customer_data) \
  X(DecideErasure, decide_erasure)

// Checks the size of `request` (the RPC's own message), authenticates the call and runs
// `command` (which wraps it) as its principal.
// On a follower of a cluster (`forwarder` set and this node not writing), the writer runs it
// instead (write_forwarder.h), and its answer is this call's.
grpc::Status RunCommand(Ledger& ledger, WriteForwarder* forwarder, const grpc::ServerContext& context,
                        const google::protobuf::Message& request, const v1::Command& command,
                        v1::EntryResponse* response);

#define SL_COMMAND_RPC(Method, field)                                                               \
  grpc::Status Method(grpc::ServerContext* context,                                                \
                      const std::decay_t<decltype(std::declval<v1::Command>().field())>* request,   \
                      v1::EntryResponse* response) override {                                      \
    v1::Command command;                                                                            \
    *command.mutable_##field() = *request;                                                          \
    return RunCommand(*ledger_, forwarder_, *context, *request, command, response);                 \
  }

class EntryServiceImpl final : public v1::EntryService::Service {
 public:
  // Neither is owned; `forwarder` is null in embedded mode.
  EntryServiceImpl(Ledger* ledger, WriteForwarder* forwarder) : ledger_(ledger), forwarder_(forwarder) {}

  SL_ENTRY_COMMANDS(SL_COMMAND_RPC)
  grpc::Status SubmitBatch(grpc::ServerContext* context, const v1::CommandBatch* request,
                           v1::CommandBatchResponse* response) override;
  grpc::Status SubmitStream(grpc::ServerContext* context,
                            grpc::ServerReaderWriter<v1::CommandBatchResponse, v1::CommandBatch>* stream) override;

 private:
  Ledger* ledger_;
  WriteForwarder* forwarder_;
};

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  // None is owned; `cluster` and `forwarder` are null in embedded mode.
  AdminServiceImpl(Ledger* ledger, const ClusterNode* cluster, WriteForwarder* forwarder)
      : ledger_(ledger), cluster_(cluster), forwarder_(forwarder) {}

  SL_ADMIN_COMMANDS(SL_COMMAND_RPC)
  // rotate_token of the token the call carries (the request's token_id is filled in).
  grpc::Status RotateToken(grpc::ServerContext* context, const v1::RotateTokenRequest* request,
                           v1::EntryResponse* response) override;
  grpc::Status Backup(grpc::ServerContext* context, const v1::BackupRequest* request, v1::BackupResponse* response) override;
  grpc::Status GetStatus(grpc::ServerContext* context, const v1::GetStatusRequest* request,
                         v1::GetStatusResponse* response) override;
  grpc::Status VerifyProjections(grpc::ServerContext* context, const v1::VerifyProjectionsRequest* request,
                                 v1::VerifyProjectionsResponse* response) override;
  grpc::Status RebuildProjections(grpc::ServerContext* context, const v1::RebuildProjectionsRequest* request,
                                  grpc::ServerWriter<v1::RebuildProgress>* writer) override;

 private:
  Ledger* ledger_;
  const ClusterNode* cluster_;
  WriteForwarder* forwarder_;
};

#undef SL_COMMAND_RPC

}  // namespace salesledger

#endif  // SALESLEDGER_SERVICES_COMMAND_SERVICES_H_
