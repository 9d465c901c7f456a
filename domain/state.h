// The sales state derived from the events (SPEC.md §3, §5, §6): what `decide` checks commands
// against and what queries read. A pure fold: `Apply` (apply.h) is its only writer, and nothing
// in it depends on the clock, so a rebuild gives the same state on any day.
//
// Thread-safety: a State is a plain value with no synchronisation of its own. Its owner serialises
// writers (Apply) against readers; any number of threads may read a State nobody writes.
// Symbols and CompactIds inside it may be copied between threads (symbol.h).
//
// Every field of every struct here is part of the projection checkpoint: a new field must also be
// listed in projections/state_codec.cc, whose size guards fail to compile until it is.
#ifndef SALESLEDGER_DOMAIN_STATE_H_
#define SALESLEDGER_DOMAIN_STATE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "base/compact_id.h"
#include "base/compact_time.h"
#include "base/id_table.h"
#include "domain/org_state.h"
#include "base/symbol.h"
#include "domain/violations.h"
#include "domain/voidable.h"
#include "salesledger/v1/commands.pb.h"
#include "salesledger/v1/event.pb.h"
#include "salesledger/v1/policy.pb.h"

namespace salesledger {

enum class UnitStatus { kDraft, kReviewed, kAvailable, kHeld, kReserved, kSubscribed, kContracted };
const char* UnitStatusName(UnitStatus s);

// Setup review of units and payment plans (房源初始化): specialist -> lead -> marketing.
enum class SetupStatus { kDraft, kReviewed, kConfirmed };

// Audit of payments, refunds, subscriptions and contracts (6.2).
enum class AuditStatus { kNone, kApproved, kRejected };

// What an id names within a project: ids are one namespace per project (SPEC.md §3).
enum class ItemKind {
  kUnit, kPaymentPlan, kCustomer, kVisit, kReservation, kSubscription, kContract, kChange,
  kPayment, kRefund, kTransfer, kSpend, kCompetitor, kVoid
};
const char* ItemKindName(ItemKind k);

struct Unit {
  std::string unit_id, building, room, product_type;
  int32_t floor = 0;
  int64_t area_x100 = 0, list_price_fen = 0;
  UnitStatus status = UnitStatus::kDraft;
  SetupStatus setup = SetupStatus::kDraft;   // kDraft again after change_list_price
  bool rejected = false;                     // the last review sent it back to the specialist
  std::string reservation_id, subscription_id, contract_id;  // the active sale, if any
};

struct PaymentPlan {
  std::string plan_id, name;
  v1::DefinePaymentPlanRequest::Kind kind = v1::DefinePaymentPlanRequest::KIND_UNSPECIFIED;
  int32_t discount_bp = 0;
  SetupStatus setup = SetupStatus::kDraft;
  bool rejected = false;
};

// What every view shows, and a page prints, for the name of a customer whose data was erased.
inline constexpr char kErasedName[] = "已删除";

struct Customer {
  std::string customer_id;
  // The name and the phone's digits as the register_customer event holds them: in the clear
  // (events from before sealing), or sealed under the customer's data key when `sealed` (issue
  // 20; only the query services open them, for a reader who may see them). Both empty once erased.
  std::string name, phone_digits;
  // Its key in Project::customer_by_phone: the HMAC of the phone when sealed, else the digits.
  std::string phone_index;
  bool sealed = false;
  uint64_t erasure_requested_seq = 0;        // an erase_customer_data not yet decided
  Symbol erasure_requested_by;
  uint64_t erased_seq = 0;                   // the decide_erasure that approved it
  Symbol consultant_id;
  v1::RegisterCustomerRequest::Source source = v1::RegisterCustomerRequest::SOURCE_UNSPECIFIED;
  CompactTime occurred_at;
  uint64_t seq = 0;                          // the register_customer entry
  std::vector<uint32_t> visits;              // positions in Project::visits, in the order logged
  bool voided = false;
};

// A visit, kept in Project::visits in the order logged: visits are most of the log, so a visit is
// a small record with no id of its own. Its id is the item_id of its voidable entry (VisitId), and
// Project::items maps the id back to the position (ItemRef::index).
struct Visit {
  Symbol consultant_id;
  CompactTime occurred_at;
  uint64_t seq = 0;
  v1::LogVisitRequest::Kind kind = v1::LogVisitRequest::KIND_UNSPECIFIED;
  bool voided = false;
};

enum class ReservationStatus { kActive, kCancelled, kConverted };

struct Reservation {
  std::string reservation_id, unit_id, customer_id;
  uint64_t seq = 0;                          // the reserve_unit entry
  ReservationStatus status = ReservationStatus::kActive;
  uint64_t ended_seq = 0;                    // the cancel_reservation or create_subscription that ended it
  std::string subscription_id;               // kConverted: the subscription it became
  bool voided = false;
};

// What an auditable record (payment, refund, subscription, contract) carries.
struct Auditable {
  AuditStatus audit = AuditStatus::kNone;
  uint64_t audit_seq = 0;          // the approve_audit or reject_audit behind `audit`
  bool locked = false;             // subscriptions and contracts: audited => locked (6.2)
  bool overdue_charged = false;    // audit_overdue found once already
  bool voided = false;
  uint64_t seq = 0;                // the entry that created it
  CompactTime recorded_at;
};

enum class SubscriptionStatus { kActive, kConverted, kCancelled };

struct Subscription : Auditable {
  std::string subscription_id, unit_id, consultant_id, payment_plan_id, reservation_id, contract_id;
  std::vector<std::string> customer_ids;
  std::vector<std::string> change_ids;
  int64_t price_fen = 0;
  absl::Time occurred_at, cancelled_at = absl::InfinitePast();
  SubscriptionStatus status = SubscriptionStatus::kActive;
};

enum class ContractStatus { kActive, kCancelled };

struct Contract : Auditable {
  std::string contract_id, subscription_id, contract_no, unit_id;
  std::vector<std::string> change_ids;
  int64_t price_fen = 0;
  absl::Time occurred_at, cancelled_at = absl::InfinitePast();
  ContractStatus status = ContractStatus::kActive;
  // service -> how many of its steps are recorded
  std::map<v1::RecordServiceStepRequest::Service, int> service_steps_done;
};

// Kept in Project::payments under its id; its invoices in Project::payment_invoices (most have none).
struct Payment : Auditable {
  CompactId receipt_no;
  Symbol customer_id, subscription_id, fee_item, cashier_id;
  CompactTime occurred_at;
  v1::RecordPaymentRequest::Kind kind = v1::RecordPaymentRequest::KIND_UNSPECIFIED;
  v1::RecordPaymentRequest::Method method = v1::RecordPaymentRequest::METHOD_UNSPECIFIED;
  int64_t amount_fen = 0, refunded_fen = 0;
  CompactId transfer_id;                     // set once transferred to a subscription (转定)
};

struct Refund : Auditable {
  std::string refund_id, payment_id, cashier_id;
  CompactTime occurred_at;
  int64_t amount_fen = 0;
};

struct Transfer {
  std::string transfer_id, payment_id, subscription_id;
  int64_t amount_fen = 0;
  bool voided = false;
};

enum class DecisionStatus { kPending, kApproved, kRejected };

struct Change {
  std::string change_id, target_id;
  v1::RequestChangeRequest::Kind kind = v1::RequestChangeRequest::KIND_UNSPECIFIED;
  std::string new_unit_id, new_payment_plan_id;
  std::vector<std::string> new_customer_ids;
  int64_t new_price_fen = 0;
  DecisionStatus status = DecisionStatus::kPending;
  uint64_t decided_seq = 0;                  // the decide_change, once decided
};

struct VoidRequest {
  std::string void_id;
  uint64_t target_seq = 0;
  std::string maker_id;
  DecisionStatus status = DecisionStatus::kPending;
  uint64_t decided_seq = 0;                  // the decide_void, once decided
};

struct ItemRef {
  ItemKind kind = ItemKind::kUnit;
  uint32_t index = 0;                        // visits: the position in Project::visits
  uint64_t last_seq = 0;
};
// An id in use and what it names.
struct Item {
  CompactId id;
  ItemRef ref;
};
inline absl::string_view ItemId(const Item& item) { return item.id.view(); }

// The prints of one document (SPEC.md §3.11): the first is the original, every later one a copy.
struct PrintRecord {
  uint32_t copies = 0;
  uint64_t first_seq = 0;          // the first print_document event
  CompactTime first_at;            // its recorded_at
};

// Prints are kept by document: the kind's number, ':', the document id.
std::string PrintKey(v1::DocumentKind kind, absl::string_view document_id);

struct Project {
  std::string project_id, name, time_zone;
  std::string company;                                     // printed as seller and payee
  std::string region_id;                                   // empty: no region, ADMIN's alone
  absl::TimeZone zone;
  absl::Time defined_at;
  std::string sales_lead_id, accountant_id;
  // Every id used, forever: what it names and the last event that touched it (for expected_seq).
  // In the order the ids were created, so that a checkpoint writes the table without sorting it.
  IdTable<Item, ItemId> items;
  std::map<std::string, Unit> units;                       // ordered: the 销控表 lists by id
  absl::flat_hash_map<std::string, PaymentPlan> plans;
  absl::flat_hash_map<std::string, Customer> customers;
  // Customer::phone_index -> customer_id, for 撞单; an erased customer's phone is free again.
  absl::flat_hash_map<std::string, std::string> customer_by_phone;
  std::deque<Visit> visits;                                // in the order logged
  absl::flat_hash_map<std::string, Reservation> reservations;
  std::map<std::string, Subscription> subscriptions;
  std::map<std::string, Contract> contracts;
  absl::flat_hash_set<std::string> contract_nos;
  absl::flat_hash_map<std::string, Change> changes;
  std::map<CompactId, Payment> payments;
  absl::flat_hash_map<std::string, std::vector<std::string>> payment_invoices;  // in the order registered
  std::map<std::string, Refund> refunds;
  absl::flat_hash_map<std::string, Transfer> transfers;
  absl::flat_hash_set<std::string> invoice_nos;
  absl::flat_hash_map<std::string, VoidRequest> voids;
  VoidableEntries voidable;
  absl::flat_hash_set<std::string> spends, competitors;
  int64_t receipts_issued = 0;                             // receipt numbers are gap-free
  // Sales plans: (year, product_type) -> versions recorded, with the first recorded_at.
  std::map<std::pair<int, std::string>, int> plan_versions;
  std::map<std::pair<int, std::string>, std::vector<std::pair<int64_t, int64_t>>> plans_by_product;  // units, fen
  std::map<int, absl::Time> first_plan_recorded;           // year -> earliest plan recorded_at
  std::map<std::string, absl::Time> feedback_recorded;     // YYYY-MM -> first feedback recorded_at
  absl::flat_hash_set<std::string> plan_flags_raised;      // "2026" or "2026-03": flagged once
  absl::flat_hash_map<std::string, PrintRecord> prints;    // PrintKey -> its prints

  // A new id of `kind`, created by event `seq`.
  void AddItem(const std::string& id, ItemKind kind, uint64_t seq, uint32_t index = 0) {
    const ItemRef ref{kind, index, seq};
    if (!items.Add(Item{CompactId(id), ref})) items.Find(id)->ref = ref;
  }
  // The visit logged with id `visit_id` (which must be one).
  Visit& VisitById(const std::string& visit_id) { return visits[items.Find(visit_id)->ref.index]; }
  const Visit& VisitById(const std::string& visit_id) const { return visits[items.Find(visit_id)->ref.index]; }
  absl::string_view VisitId(const Visit& v) const { return voidable.Find(v.seq)->item_id.view(); }
  // Event `seq` changed the item `id` (ids that were never added are left alone).
  void Touch(const std::string& id, uint64_t seq) {
    if (Item* item = items.Find(id)) item->ref.last_seq = seq;
  }
};

// Timeliness of one (project, subject, entry kind, month) cell (SPEC.md §6.5).
struct TimelinessCell {
  int64_t entries = 0, late = 0;
  // Every entry's lag, for percentiles. Seconds fit 32 bits: occurred_at is after 2000 and
  // recorded_at is now, so a lag stays below 2^32 s until 2136 (and saturates there).
  std::vector<uint32_t> lag_seconds;
  // The late entries' deadlines, so that an outage declared later excuses them (§3.12).
  std::vector<CompactTime> late_deadlines;
};

struct TimelinessKey {
  std::string project_id, person_id, kind, period;
  auto operator<=>(const TimelinessKey&) const = default;
};

// A declared outage of the system (SPEC.md §3.12): deadlines in [from, to) on its projects (none:
// every project) excuse the violations they caused.
struct Outage {
  std::string outage_id;
  uint64_t seq = 0;                     // the declare_outage event
  absl::Time from, to;
  std::vector<std::string> project_ids; // empty: the whole group
  std::string reason, declared_by;
  uint64_t withdrawn_seq = 0;           // set by withdraw_outage

  bool Covers(absl::string_view project_id, absl::Time deadline) const;
};

struct State {
  OrgState org;
  std::map<std::string, Project> projects;
  // Policy versions: index v-1 holds version v. Version 1 is the built-in default.
  std::vector<salesledger::v1::Policy> policies;
  Violations violations;
  std::map<std::pair<std::string, std::string>, int> late_visits;  // (person, period) -> count
  std::map<TimelinessKey, TimelinessCell> timeliness;
  std::map<std::string, Outage> outages;                           // by outage_id
  uint64_t head_seq = 0;

  const salesledger::v1::Policy& policy() const { return policies.back(); }
  const Project* FindProject(const std::string& id) const;
  Project* FindProject(const std::string& id);
  // The earliest declared outage, not withdrawn, that covers `deadline` on `project_id`; or nullptr.
  const Outage* ExcusingOutage(absl::string_view project_id, absl::Time deadline) const;
};

}  // namespace salesledger

#endif  // SALESLEDGER_DOMAIN_STATE_H_
