#include "domain/decide.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "domain/access.h"
#include "domain/commands.h"
#include "domain/validation.h"

namespace salesledger {

using v1::Command;

absl::Status Decide(const State& state, const Command& command, const DecideContext& c, v1::Event& event) {
  if (command.command_case() == Command::COMMAND_NOT_SET) {
    return absl::InvalidArgumentError("the request names no command");
  }
  RETURN_IF_ERROR(RequireRoleFor(c.actor, command.command_case()));
  RETURN_IF_ERROR(CheckTimestamps(command));
  switch (command.command_case()) {
    case Command::kDefineProject:
      return DecideDefineProject(state, command.define_project(), c, event);
    case Command::kAddPerson:
      return DecideAddPerson(state, command.add_person(), c, event);
    case Command::kUpdatePerson:
      return DecideUpdatePerson(state, command.update_person(), c, event);
    case Command::kSetProjectLeads:
      return DecideSetProjectLeads(state, command.set_project_leads(), c, event);
    case Command::kIssueToken:
      return DecideIssueToken(state, command.issue_token(), c, event);
    case Command::kRevokeToken:
      return DecideRevokeToken(state, command.revoke_token(), c, event);
    case Command::kSetPolicy:
      return DecideSetPolicy(state, command.set_policy(), c, event);
    case Command::kDefineUnit:
      return DecideDefineUnit(state, command.define_unit(), c, event);
    case Command::kDefinePaymentPlan:
      return DecideDefinePaymentPlan(state, command.define_payment_plan(), c, event);
    case Command::kChangeListPrice:
      return DecideChangeListPrice(state, command.change_list_price(), c, event);
    case Command::kReviewSetup:
      return DecideReviewSetup(state, command.review_setup(), c, event);
    case Command::kConfirmSetup:
      return DecideConfirmSetup(state, command.confirm_setup(), c, event);
    case Command::kSetUnitHold:
      return DecideSetUnitHold(state, command.set_unit_hold(), c, event);
    case Command::kRegisterCustomer:
      return DecideRegisterCustomer(state, command.register_customer(), c, event);
    case Command::kLogVisit:
      return DecideLogVisit(state, command.log_visit(), c, event);
    case Command::kReserveUnit:
      return DecideReserveUnit(state, command.reserve_unit(), c, event);
    case Command::kCancelReservation:
      return DecideCancelReservation(state, command.cancel_reservation(), c, event);
    case Command::kCreateSubscription:
      return DecideCreateSubscription(state, command.create_subscription(), c, event);
    case Command::kSignContract:
      return DecideSignContract(state, command.sign_contract(), c, event);
    case Command::kRequestChange:
      return DecideRequestChange(state, command.request_change(), c, event);
    case Command::kDecideChange:
      return DecideDecideChange(state, command.decide_change(), c, event);
    case Command::kRecordPayment:
      return DecideRecordPayment(state, command.record_payment(), c, event);
    case Command::kRefundPayment:
      return DecideRefundPayment(state, command.refund_payment(), c, event);
    case Command::kTransferPayment:
      return DecideTransferPayment(state, command.transfer_payment(), c, event);
    case Command::kApproveAudit:
      return DecideApproveAudit(state, command.approve_audit(), c, event);
    case Command::kRejectAudit:
      return DecideRejectAudit(state, command.reject_audit(), c, event);
    case Command::kUnlockRecord:
      return DecideUnlockRecord(state, command.unlock_record(), c, event);
    case Command::kRegisterInvoice:
      return DecideRegisterInvoice(state, command.register_invoice(), c, event);
    case Command::kRecordServiceStep:
      return DecideRecordServiceStep(state, command.record_service_step(), c, event);
    case Command::kSetSalesPlan:
      return DecideSetSalesPlan(state, command.set_sales_plan(), c, event);
    case Command::kRecordPlanFeedback:
      return DecideRecordPlanFeedback(state, command.record_plan_feedback(), c, event);
    case Command::kRecordMarketingSpend:
      return DecideRecordMarketingSpend(state, command.record_marketing_spend(), c, event);
    case Command::kRecordCompetitor:
      return DecideRecordCompetitor(state, command.record_competitor(), c, event);
    case Command::kRequestVoid:
      return DecideRequestVoid(state, command.request_void(), c, event);
    case Command::kDecideVoid:
      return DecideDecideVoid(state, command.decide_void(), c, event);
    case Command::kRunInspection:
      return DecideRunInspection(state, command.run_inspection(), c, event);
    case Command::kWaiveViolation:
      return DecideWaiveViolation(state, command.waive_violation(), c, event);
    case Command::kPrintDocument:
      return DecidePrintDocument(state, command.print_document(), c, event);
    case Command::kAddCosignature:
      return DecideAddCosignature(state, command.add_cosignature(), c, event);
    case Command::kDefineRegion:
      return DecideDefineRegion(state, command.define_region(), c, event);
    case Command::kMoveProjectRegion:
      return DecideMoveProjectRegion(state, command.move_project_region(), c, event);
    case Command::kRotateToken:
      return DecideRotateToken(state, command.rotate_token(), c, event);
    case Command::kDeclareOutage:
      return DecideDeclareOutage(state, command.declare_outage(), c, event);
    case Command::kWithdrawOutage:
      return DecideWithdrawOutage(state, command.withdraw_outage(), c, event);
    case Command::kServerStarted:
      return DecideServerStarted(state, command.server_started(), c, event);
    case Command::kEraseCustomerData:
      return DecideEraseCustomerData(state, command.erase_customer_data(), c, event);
    case Command::kDecideErasure:
      return DecideDecideErasure(state, command.decide_erasure(), c, event);
    case Command::COMMAND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("the request names no command");
}

absl::Status DecideAs(const State& state, const std::string& actor_id, const Command& command,
                      const std::string& token_sha256, v1::Event& draft, const std::string& phone_index) {
  auto actor = state.org.people.find(actor_id);
  if (actor == state.org.people.end() || !actor->second.active) {
    return absl::UnauthenticatedError(absl::StrCat("'", actor_id, "' is not an active person"));
  }
  const DecideContext c{actor->second, FromProto(draft.recorded_at()), draft.seq(), token_sha256, phone_index};
  RETURN_IF_ERROR(Decide(state, command, c, draft));
  draft.set_actor_id(actor_id);
  draft.set_policy_version(state.policy().version());
  if (!draft.has_occurred_at()) *draft.mutable_occurred_at() = draft.recorded_at();
  return absl::OkStatus();
}

}  // namespace salesledger
