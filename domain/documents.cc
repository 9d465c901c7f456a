// Printing from the system (SPEC.md §3.11): a print is an entry, and its event holds what the page
// says, taken from the state at that moment. The first print of a document is the original, each
// later one a numbered copy. Receipts and refund receipts are the cashier's, the 认购书 customer
// service's, each on their own projects.
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/access.h"
#include "domain/commands.h"
#include "domain/decide_support.h"
#include "domain/validation.h"

namespace salesledger {
namespace {

using namespace salesledger::v1;

std::string NameOf(const State& state, absl::string_view person_id) {
  auto it = state.org.people.find(person_id);
  return it == state.org.people.end() ? "" : it->second.name;
}

void AddParty(const Project& p, absl::string_view customer_id, DocumentPrinted& page) {
  DocumentPrinted::Party* party = page.add_parties();
  party->set_customer_id(std::string(customer_id));
  auto it = p.customers.find(customer_id);
  if (it == p.customers.end()) return;
  const Customer& customer = it->second;
  if (customer.erased_seq != 0) {
    party->set_name(kErasedName);
  } else if (customer.sealed) {
    party->set_sealed_name(customer.name);  // opened only where the page is drawn
  } else {
    party->set_name(customer.name);
  }
}

void AddUnit(const Project& p, const std::string& unit_id, DocumentPrinted& page) {
  page.set_unit_id(unit_id);
  auto it = p.units.find(unit_id);
  if (it == p.units.end()) return;
  const Unit& u = it->second;
  page.set_building(u.building);
  page.set_floor(u.floor);
  page.set_room(u.room);
  page.set_product_type(u.product_type);
  page.set_area_x100(u.area_x100);
  page.set_list_price_fen(u.list_price_fen);
}

// What a receipt and a refund receipt both say of the payment: the payer, the unit it was taken
// for (its subscription's), its kind and method.
void AddPayment(const Project& p, const Payment& payment, DocumentPrinted& page) {
  AddParty(p, payment.customer_id.str(), page);
  if (!payment.subscription_id.empty()) {
    auto sub = p.subscriptions.find(payment.subscription_id.str());
    if (sub != p.subscriptions.end()) AddUnit(p, sub->second.unit_id, page);
  }
  page.set_payment_kind(payment.kind);
  page.set_fee_item(payment.fee_item.str());
  page.set_method(payment.method);
}

absl::Status Receipt(const State& state, const Project& p, const std::string& payment_id, DocumentPrinted& page) {
  ASSIGN_OR_RETURN(const Payment& payment, Find(p.payments, "payment", payment_id, p));
  page.set_entry_seq(payment.seq);
  page.set_document_no(std::string(payment.receipt_no.view()));
  *page.mutable_occurred_at() = ToProto(payment.occurred_at);
  *page.mutable_entry_recorded_at() = ToProto(payment.recorded_at);
  AddPayment(p, payment, page);
  page.set_amount_fen(payment.amount_fen);
  page.set_staff_id(payment.cashier_id.str());
  page.set_staff_name(NameOf(state, payment.cashier_id.str()));
  page.set_voided(payment.voided);
  page.set_transferred(!payment.transfer_id.empty());
  page.set_refunded_fen(payment.refunded_fen);
  return absl::OkStatus();
}

absl::Status RefundReceipt(const State& state, const Project& p, const std::string& refund_id, DocumentPrinted& page) {
  ASSIGN_OR_RETURN(const Refund& refund, Find(p.refunds, "refund", refund_id, p));
  ASSIGN_OR_RETURN(const Payment& payment, Find(p.payments, "payment", refund.payment_id, p));
  page.set_entry_seq(refund.seq);
  page.set_document_no(refund_id);
  page.set_related_no(std::string(payment.receipt_no.view()));
  *page.mutable_occurred_at() = ToProto(refund.occurred_at);
  *page.mutable_entry_recorded_at() = ToProto(refund.recorded_at);
  AddPayment(p, payment, page);
  page.set_amount_fen(refund.amount_fen);
  page.set_staff_id(refund.cashier_id);
  page.set_staff_name(NameOf(state, refund.cashier_id));
  page.set_voided(refund.voided);
  return absl::OkStatus();
}

absl::Status Agreement(const State& state, const Project& p, const std::string& subscription_id,
                       DocumentPrinted& page) {
  ASSIGN_OR_RETURN(const Subscription& sub, Find(p.subscriptions, "subscription", subscription_id, p));
  page.set_entry_seq(sub.seq);
  page.set_document_no(subscription_id);
  *page.mutable_occurred_at() = ToProto(sub.occurred_at);
  *page.mutable_entry_recorded_at() = ToProto(sub.recorded_at);
  for (const std::string& buyer : sub.customer_ids) AddParty(p, buyer, page);
  AddUnit(p, sub.unit_id, page);
  page.set_amount_fen(sub.price_fen);
  page.set_consultant_id(sub.consultant_id);
  page.set_consultant_name(NameOf(state, sub.consultant_id));
  if (auto plan = p.plans.find(sub.payment_plan_id); plan != p.plans.end()) {
    page.set_payment_plan_name(plan->second.name);
  }
  page.set_voided(sub.voided);
  page.set_cancelled(sub.status == SubscriptionStatus::kCancelled);
  if (sub.status == SubscriptionStatus::kConverted) page.set_contract_id(sub.contract_id);
  return absl::OkStatus();
}

}  // namespace

absl::Status DecidePrintDocument(const State& state, const PrintDocumentRequest& r, const DecideContext& c,
                                 Event& event) {
  RETURN_IF_ERROR(CheckFields(r, {Enum("kind"), Id("document_id")}));
  const bool receipt = r.kind() != DocumentKind::SUBSCRIPTION;
  RETURN_IF_ERROR(RequireRole(c.actor, receipt ? RoleSet{CASHIER} : RoleSet{CUSTOMER_SERVICE},
                              receipt ? "print a receipt" : "print a subscription agreement"));
  ASSIGN_OR_RETURN(const Project& p, AccessProject(state, c.actor, r.project_id()));
  DocumentPrinted page;
  switch (r.kind()) {
    case DocumentKind::RECEIPT:
      RETURN_IF_ERROR(Receipt(state, p, r.document_id(), page));
      break;
    case DocumentKind::REFUND_RECEIPT:
      RETURN_IF_ERROR(RefundReceipt(state, p, r.document_id(), page));
      break;
    case DocumentKind::SUBSCRIPTION:
      RETURN_IF_ERROR(Agreement(state, p, r.document_id(), page));
      break;
    case DocumentKind::DOCUMENT_KIND_UNSPECIFIED:  // refused by the field check
    case DocumentKind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case DocumentKind_INT_MAX_SENTINEL_DO_NOT_USE_:
      return absl::InvalidArgumentError("field 'kind' is required");
  }
  RETURN_IF_ERROR(CheckExpectedSeq(p, r.expected_seq(), r.document_id()));
  auto prints = p.prints.find(PrintKey(r.kind(), r.document_id()));
  page.set_kind(r.kind());
  page.set_document_id(r.document_id());
  page.set_copy(prints == p.prints.end() ? 1 : prints->second.copies + 1);
  page.set_company(p.company);
  page.set_project_name(p.name);
  page.set_time_zone(p.time_zone);
  *event.mutable_print_document() = std::move(page);
  event.set_project_id(r.project_id());
  return absl::OkStatus();
}

void ApplyPrintDocument(State& state, const Event& event, const DocumentPrinted& b) {
  Project& project = *state.FindProject(event.project_id());
  PrintRecord& prints = project.prints[PrintKey(b.kind(), b.document_id())];
  if (prints.copies++ == 0) {
    prints.first_seq = event.seq();
    prints.first_at = FromProto(event.recorded_at());
  }
}

}  // namespace salesledger
