// Every command's decide function and every event's apply function, by area: what decide.cc and
// apply.cc dispatch to, one case each. Internal to domain/.
//
// DecideX checks the command's fields, project, references, new ids, expected_seq and state, in
// that order (decide.h), and fills `event`; the role was checked before it is called (access.h).
// ApplyX folds the event into the state; the policy's rules run after it (rules.h).
// Pure, as decide.h and apply.h say: Decide<Command> only reads the state; Apply<Command> writes it
// and needs it exclusively.
#ifndef SALESLEDGER_DOMAIN_COMMANDS_H_
#define SALESLEDGER_DOMAIN_COMMANDS_H_

#include "absl/status/status.h"
#include "domain/decide.h"
#include "domain/state.h"
#include "salesledger/v1/commands.pb.h"
#include "salesledger/v1/event.pb.h"

namespace salesledger {

#define SL_COMMAND(Name, Request, Body)                                                                      \
  absl::Status Decide##Name(const State& state, const v1::Request& request, const DecideContext& context, \
                            v1::Event& event);                                                             \
  void Apply##Name(State& state, const v1::Event& event, const v1::Body& body)


// org.cc: organisation and policy (SPEC.md §3.1): regions, projects, people, tokens, policy versions
SL_COMMAND(DefineRegion, DefineRegionRequest, DefineRegionRequest);
SL_COMMAND(DefineProject, DefineProjectRequest, DefineProjectRequest);
SL_COMMAND(MoveProjectRegion, MoveProjectRegionRequest, MoveProjectRegionRequest);
SL_COMMAND(AddPerson, AddPersonRequest, AddPersonRequest);
SL_COMMAND(UpdatePerson, UpdatePersonRequest, UpdatePersonRequest);
SL_COMMAND(SetProjectLeads, SetProjectLeadsRequest, SetProjectLeadsRequest);
SL_COMMAND(IssueToken, IssueTokenRequest, TokenIssued);
SL_COMMAND(RevokeToken, RevokeTokenRequest, RevokeTokenRequest);
SL_COMMAND(RotateToken, RotateTokenRequest, TokenIssued);
SL_COMMAND(SetPolicy, SetPolicyRequest, SetPolicyRequest);

// setup.cc: units and payment plans (§3.2): 房源初始化, review, confirmation, holds
SL_COMMAND(DefineUnit, DefineUnitRequest, DefineUnitRequest);
SL_COMMAND(DefinePaymentPlan, DefinePaymentPlanRequest, DefinePaymentPlanRequest);
SL_COMMAND(ChangeListPrice, ChangeListPriceRequest, ChangeListPriceRequest);
SL_COMMAND(ReviewSetup, ReviewSetupRequest, ReviewSetupRequest);
SL_COMMAND(ConfirmSetup, ConfirmSetupRequest, ConfirmSetupRequest);
SL_COMMAND(SetUnitHold, SetUnitHoldRequest, SetUnitHoldRequest);

// customers.cc: customers and visits (§3.3)
SL_COMMAND(RegisterCustomer, RegisterCustomerRequest, RegisterCustomerRequest);
SL_COMMAND(LogVisit, LogVisitRequest, LogVisitRequest);

// erasures.cc: erasing a customer's personal data (issue 20): asked, then decided by another
SL_COMMAND(EraseCustomerData, EraseCustomerDataRequest, EraseCustomerDataRequest);
SL_COMMAND(DecideErasure, DecideErasureRequest, DecideErasureRequest);

// sales.cc: sales (§3.4): 小订, 认购, 签约, changes
SL_COMMAND(ReserveUnit, ReserveUnitRequest, ReserveUnitRequest);
SL_COMMAND(CancelReservation, CancelReservationRequest, CancelReservationRequest);
SL_COMMAND(CreateSubscription, CreateSubscriptionRequest, CreateSubscriptionRequest);
SL_COMMAND(SignContract, SignContractRequest, SignContractRequest);
SL_COMMAND(RequestChange, RequestChangeRequest, RequestChangeRequest);
SL_COMMAND(DecideChange, DecideChangeRequest, DecideChangeRequest);

// money.cc: money (§3.5): payments, refunds, 转定
SL_COMMAND(RecordPayment, RecordPaymentRequest, RecordPaymentRequest);
SL_COMMAND(RefundPayment, RefundPaymentRequest, RefundPaymentRequest);
SL_COMMAND(TransferPayment, TransferPaymentRequest, TransferPaymentRequest);

// audit.cc: audit (§3.6, §6.2): audits, locks, invoices
SL_COMMAND(ApproveAudit, ApproveAuditRequest, ApproveAuditRequest);
SL_COMMAND(RejectAudit, RejectAuditRequest, RejectAuditRequest);
SL_COMMAND(UnlockRecord, UnlockRecordRequest, UnlockRecordRequest);
SL_COMMAND(RegisterInvoice, RegisterInvoiceRequest, RegisterInvoiceRequest);

// after_sale.cc: services after the sale (§3.7)
SL_COMMAND(RecordServiceStep, RecordServiceStepRequest, RecordServiceStepRequest);

// plans.cc: plans and marketing (§3.8)
SL_COMMAND(SetSalesPlan, SetSalesPlanRequest, SetSalesPlanRequest);
SL_COMMAND(RecordPlanFeedback, RecordPlanFeedbackRequest, RecordPlanFeedbackRequest);
SL_COMMAND(RecordMarketingSpend, RecordMarketingSpendRequest, RecordMarketingSpendRequest);
SL_COMMAND(RecordCompetitor, RecordCompetitorRequest, RecordCompetitorRequest);

// voids.cc: voids (§3.8)
SL_COMMAND(RequestVoid, RequestVoidRequest, RequestVoidRequest);
SL_COMMAND(DecideVoid, DecideVoidRequest, DecideVoidRequest);

// inspections.cc: inspections and waivers (§3.9)
SL_COMMAND(RunInspection, RunInspectionRequest, RunInspectionRequest);
SL_COMMAND(WaiveViolation, WaiveViolationRequest, WaiveViolationRequest);

// documents.cc: printing documents from the system (§3.11): receipts, refunds, the 认购书
SL_COMMAND(PrintDocument, PrintDocumentRequest, DocumentPrinted);

// outages.cc: the system's own downtime (§3.12): its starts, and outages that excuse lateness
SL_COMMAND(DeclareOutage, DeclareOutageRequest, DeclareOutageRequest);
SL_COMMAND(WithdrawOutage, WithdrawOutageRequest, WithdrawOutageRequest);
SL_COMMAND(ServerStarted, ServerStartedRequest, ServerStartedRequest);

// cosignatures.cc: auditors' cosignatures of the log's checkpoints (§5, "Proofs")
SL_COMMAND(AddCosignature, AddCosignatureRequest, AddCosignatureRequest);

#undef SL_COMMAND

// org.cc: the genesis event (seq 1), which no command makes.
void ApplyGenesis(State& state, const v1::Event& event, const v1::Genesis& body);

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_COMMANDS_H_
