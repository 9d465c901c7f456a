#include "domain/apply.h"

#include "domain/commands.h"
#include "domain/rules.h"

namespace salesledger {

using v1::Event;

void Apply(State& state, const Event& event, const PolicyOverride* judge_by) {
  switch (event.body_case()) {
    case Event::kGenesis:
      ApplyGenesis(state, event, event.genesis());
      break;
    case Event::kDefineProject:
      ApplyDefineProject(state, event, event.define_project());
      break;
    case Event::kAddPerson:
      ApplyAddPerson(state, event, event.add_person());
      break;
    case Event::kUpdatePerson:
      ApplyUpdatePerson(state, event, event.update_person());
      break;
    case Event::kSetProjectLeads:
      ApplySetProjectLeads(state, event, event.set_project_leads());
      break;
    case Event::kIssueToken:
      ApplyIssueToken(state, event, event.issue_token());
      break;
    case Event::kRevokeToken:
      ApplyRevokeToken(state, event, event.revoke_token());
      break;
    case Event::kSetPolicy:
      ApplySetPolicy(state, event, event.set_policy());
      break;
    case Event::kDefineUnit:
      ApplyDefineUnit(state, event, event.define_unit());
      break;
    case Event::kDefinePaymentPlan:
      ApplyDefinePaymentPlan(state, event, event.define_payment_plan());
      break;
    case Event::kChangeListPrice:
      ApplyChangeListPrice(state, event, event.change_list_price());
      break;
    case Event::kReviewSetup:
      ApplyReviewSetup(state, event, event.review_setup());
      break;
    case Event::kConfirmSetup:
      ApplyConfirmSetup(state, event, event.confirm_setup());
      break;
    case Event::kSetUnitHold:
      ApplySetUnitHold(state, event, event.set_unit_hold());
      break;
    case Event::kRegisterCustomer:
      ApplyRegisterCustomer(state, event, event.register_customer());
      break;
    case Event::kLogVisit:
      ApplyLogVisit(state, event, event.log_visit());
      break;
    case Event::kReserveUnit:
      ApplyReserveUnit(state, event, event.reserve_unit());
      break;
    case Event::kCancelReservation:
      ApplyCancelReservation(state, event, event.cancel_reservation());
      break;
    case Event::kCreateSubscription:
      ApplyCreateSubscription(state, event, event.create_subscription());
      break;
    case Event::kSignContract:
      ApplySignContract(state, event, event.sign_contract());
      break;
    case Event::kRequestChange:
      ApplyRequestChange(state, event, event.request_change());
      break;
    case Event::kDecideChange:
      ApplyDecideChange(state, event, event.decide_change());
      break;
    case Event::kRecordPayment:
      ApplyRecordPayment(state, event, event.record_payment());
      break;
    case Event::kRefundPayment:
      ApplyRefundPayment(state, event, event.refund_payment());
      break;
    case Event::kTransferPayment:
      ApplyTransferPayment(state, event, event.transfer_payment());
      break;
    case Event::kApproveAudit:
      ApplyApproveAudit(state, event, event.approve_audit());
      break;
    case Event::kRejectAudit:
      ApplyRejectAudit(state, event, event.reject_audit());
      break;
    case Event::kUnlockRecord:
      ApplyUnlockRecord(state, event, event.unlock_record());
      break;
    case Event::kRegisterInvoice:
      ApplyRegisterInvoice(state, event, event.register_invoice());
      break;
    case Event::kRecordServiceStep:
      ApplyRecordServiceStep(state, event, event.record_service_step());
      break;
    case Event::kSetSalesPlan:
      ApplySetSalesPlan(state, event, event.set_sales_plan());
      break;
    case Event::kRecordPlanFeedback:
      ApplyRecordPlanFeedback(state, event, event.record_plan_feedback());
      break;
    case Event::kRecordMarketingSpend:
      ApplyRecordMarketingSpend(state, event, event.record_marketing_spend());
      break;
    case Event::kRecordCompetitor:
      ApplyRecordCompetitor(state, event, event.record_competitor());
      break;
    case Event::kRequestVoid:
      ApplyRequestVoid(state, event, event.request_void());
      break;
    case Event::kDecideVoid:
      ApplyDecideVoid(state, event, event.decide_void());
      break;
    case Event::kRunInspection:
      ApplyRunInspection(state, event, event.run_inspection());
      break;
    case Event::kWaiveViolation:
      ApplyWaiveViolation(state, event, event.waive_violation());
      break;
    case Event::kPrintDocument:
      ApplyPrintDocument(state, event, event.print_document());
      break;
    case Event::kDefineRegion:
      ApplyDefineRegion(state, event, event.define_region());
      break;
    case Event::kMoveProjectRegion:
      ApplyMoveProjectRegion(state, event, event.move_project_region());
      break;
    case Event::kRotateToken:
      ApplyRotateToken(state, event, event.rotate_token());
      break;
    case Event::kDeclareOutage:
      ApplyDeclareOutage(state, event, event.declare_outage());
      break;
    case Event::kWithdrawOutage:
      ApplyWithdrawOutage(state, event, event.withdraw_outage());
      break;
    case Event::kEraseCustomerData:
      ApplyEraseCustomerData(state, event, event.erase_customer_data());
      break;
    case Event::kDecideErasure:
      ApplyDecideErasure(state, event, event.decide_erasure());
      break;
    case Event::kServerStarted:
      ApplyServerStarted(state, event, event.server_started());
      break;
    case Event::kAddCosignature:
      ApplyAddCosignature(state, event, event.add_cosignature());
      break;
    case Event::BODY_NOT_SET:
      break;
  }
  ApplyRules(state, event, judge_by);
  state.head_seq = event.seq();
}

std::string EventKind(const Event& event) {
  const auto* field = Event::descriptor()->FindFieldByNumber(event.body_case());
  return field == nullptr ? "" : field->name();
}

}  // namespace salesledger
