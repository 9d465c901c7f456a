#include "queries/views.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/time_proto.h"
#include "domain/access.h"
#include "domain/decide_support.h"
#include "domain/validation.h"
#include "queries/read_support.h"

namespace salesledger {

using namespace salesledger::v1;

int64_t PaidOn(const Project& p, const std::string& subscription_id) {
  int64_t paid = 0;
  for (const auto& [id, pay] : p.payments) {
    if (pay.voided || pay.subscription_id != subscription_id) continue;
    if (pay.kind == RecordPaymentRequest::DEPOSIT || pay.kind == RecordPaymentRequest::HOUSE_PAYMENT) {
      paid += pay.amount_fen - pay.refunded_fen;
    }
  }
  for (const auto& [id, t] : p.transfers) {
    if (!t.voided && t.subscription_id == subscription_id) paid += t.amount_fen;
  }
  return paid;
}

PaymentView PaymentViewOf(const Project& p, absl::string_view payment_id, const Payment& pay) {
  PaymentView v;
  v.set_project_id(p.project_id);
  v.set_payment_id(std::string(payment_id));
  v.set_receipt_no(pay.receipt_no);
  v.set_customer_id(pay.customer_id);
  v.set_subscription_id(pay.subscription_id);
  v.set_kind(NameOf(pay.kind));
  v.set_fee_item(pay.fee_item);
  v.set_method(NameOf(pay.method));
  v.set_amount_fen(pay.amount_fen);
  v.set_refunded_fen(pay.refunded_fen);
  v.set_transfer_id(pay.transfer_id);
  v.set_audit(AuditName(pay.audit));
  if (auto invoices = p.payment_invoices.find(payment_id); invoices != p.payment_invoices.end()) {
    for (const auto& n : invoices->second) v.add_invoice_nos(n);
  }
  v.set_cashier_id(pay.cashier_id);
  *v.mutable_occurred_at() = ToProto(pay.occurred_at);
  *v.mutable_recorded_at() = ToProto(pay.recorded_at);
  v.set_seq(pay.seq);
  v.set_voided(pay.voided);
  return v;
}

UnitView UnitViewOf(const Project& p, const Unit& u) {
  UnitView v;
  v.set_project_id(p.project_id);
  v.set_unit_id(u.unit_id);
  v.set_building(u.building);
  v.set_floor(u.floor);
  v.set_room(u.room);
  v.set_product_type(u.product_type);
  v.set_area_x100(u.area_x100);
  v.set_list_price_fen(u.list_price_fen);
  v.set_status(UnitStatusName(u.status));
  v.set_setup(SetupName(u.setup));
  v.set_rejected(u.rejected);
  v.set_reservation_id(u.reservation_id);
  v.set_subscription_id(u.subscription_id);
  v.set_contract_id(u.contract_id);
  if (!u.subscription_id.empty()) {
    const Subscription& s = p.subscriptions.at(u.subscription_id);
    for (const auto& c : s.customer_ids) v.add_customer_ids(c);
    v.set_payment_plan_id(s.payment_plan_id);
    const Auditable* record = &s;
    int64_t price = s.price_fen;
    if (!u.contract_id.empty()) {
      const Contract& k = p.contracts.at(u.contract_id);
      price = k.price_fen;
      record = &k;
    }
    v.set_price_fen(price);
    v.set_paid_fen(PaidOn(p, u.subscription_id));
    v.set_balance_fen(price - v.paid_fen());
    v.set_audit(AuditName(record->audit));
    v.set_locked(record->locked);
  } else if (!u.reservation_id.empty()) {
    v.add_customer_ids(p.reservations.at(u.reservation_id).customer_id);
  }
  return v;
}

absl::StatusOr<CustomerView> CustomerViewOf(const Project& p, const Customer& c, const Person& reader,
                                            const PersonalFields& fields) {
  CustomerView v;
  v.set_project_id(p.project_id);
  v.set_customer_id(c.customer_id);
  std::string name = c.name, phone = c.phone_digits;
  bool erased = c.erased_seq != 0;
  if (!erased && c.sealed) {
    absl::StatusOr<std::string> n = fields.Open(p.project_id, c.customer_id, PersonalFields::kName, c.name);
    absl::StatusOr<std::string> ph =
        n.ok() ? fields.Open(p.project_id, c.customer_id, PersonalFields::kPhone, c.phone_digits) : n.status();
    if (absl::IsFailedPrecondition(ph.status())) {
      erased = true;
    } else if (!ph.ok()) {
      return ph.status();
    } else {
      name = *std::move(n);
      phone = *std::move(ph);
    }
  }
  if (erased) {
    v.set_name(kErasedName);
    v.set_erased(true);
  } else {
    v.set_name(name);
    v.set_phone(SeesFullPhone(reader, p, c) ? phone : MaskPhone(phone));
  }
  if (c.erasure_requested_seq != 0) {
    v.set_erasure_requested_by(c.erasure_requested_by.str());
    v.set_erasure_requested_seq(c.erasure_requested_seq);
  }
  v.set_consultant_id(c.consultant_id);
  v.set_source(NameOf(c.source));
  for (uint32_t index : c.visits) {
    const Visit& visit = p.visits[index];
    VisitView* vv = v.add_visits();
    vv->set_visit_id(std::string(p.VisitId(visit)));
    vv->set_consultant_id(visit.consultant_id);
    vv->set_kind(NameOf(visit.kind));
    *vv->mutable_occurred_at() = ToProto(visit.occurred_at);
    vv->set_seq(visit.seq);
    vv->set_voided(visit.voided);
  }
  v.set_voided(c.voided);
  return v;
}

DocumentView DocumentViewOf(const Project& p, const Subscription& s, const Contract* k) {
  DocumentView v;
  v.set_project_id(p.project_id);
  v.set_subscription_id(s.subscription_id);
  v.set_contract_id(s.contract_id);
  for (const auto& c : s.customer_ids) v.add_customer_ids(c);
  v.set_consultant_id(s.consultant_id);
  v.set_payment_plan_id(s.payment_plan_id);
  for (const auto& [id, pay] : p.payments) {
    if (pay.subscription_id == s.subscription_id) *v.add_payments() = PaymentViewOf(p, id, pay);
  }
  v.set_paid_fen(PaidOn(p, s.subscription_id));
  if (k == nullptr) {
    static const char* kStatus[] = {"ACTIVE", "CONVERTED", "CANCELLED"};
    v.set_id(s.subscription_id);
    v.set_kind("subscription");
    v.set_status(kStatus[static_cast<int>(s.status)]);
    v.set_unit_id(s.unit_id);
    v.set_price_fen(s.price_fen);
    v.set_audit(AuditName(s.audit));
    v.set_locked(s.locked);
    v.set_voided(s.voided);
    v.set_seq(s.seq);
    for (const auto& c : s.change_ids) v.add_change_ids(c);
  } else {
    v.set_id(k->contract_id);
    v.set_kind("contract");
    v.set_status(k->status == ContractStatus::kActive ? "ACTIVE" : "CANCELLED");
    v.set_unit_id(k->unit_id);
    v.set_price_fen(k->price_fen);
    v.set_contract_no(k->contract_no);
    v.set_audit(AuditName(k->audit));
    v.set_locked(k->locked);
    v.set_voided(k->voided);
    v.set_seq(k->seq);
    for (const auto& c : k->change_ids) v.add_change_ids(c);
    for (const auto& [service, done] : k->service_steps_done) {
      (*v.mutable_service_progress())[NameOf(service)] = absl::StrCat(done, " step(s)");
    }
  }
  v.set_balance_fen(v.price_fen() - v.paid_fen());
  return v;
}

ViolationView ViolationViewOf(const State& state, const Violation& v) {
  ViolationView out;
  out.set_violation_id(v.violation_id);
  out.set_rule(std::string(RuleName(v.rule)));
  out.set_subject_id(v.subject_id);
  out.set_project_id(v.project_id);
  out.set_amount_fen(v.amount_fen);
  out.set_joint(v.joint);
  out.set_joins(v.joins);
  out.set_event_seq(v.event_seq);
  out.set_entry_seq(v.entry_seq);
  *out.mutable_time() = ToProto(v.time);
  out.set_period(v.period);
  out.set_policy_version(v.policy_version);
  out.set_parameters(ViolationParameters(v));
  out.set_waived(v.waived);
  if (const Waiver* w = state.violations.WaiverOf(v.violation_id)) {
    out.set_waiver_reason(w->reason);
    out.set_waived_by(w->waived_by);
  }
  out.set_waiver_seq(v.waiver_seq);
  *out.mutable_deadline() = ToProto(v.Deadline());
  if (v.excused) {
    const Outage* outage = state.ExcusingOutage(v.project_id, v.Deadline());
    if (outage != nullptr) {  // always, while the flag is kept as outages.cc keeps it
      out.set_excused_by_outage(outage->outage_id);
      out.set_outage_seq(outage->seq);
    }
  }
  return out;
}

}  // namespace salesledger
